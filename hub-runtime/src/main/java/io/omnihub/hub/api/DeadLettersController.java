package io.omnihub.hub.api;

import io.omnihub.routes.DeadLetter;
import io.omnihub.routes.DeadLetterBrowser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Messages parked on {@code hub.dlq}, read without consuming them. */
@RestController
@RequestMapping(path = "/api/v1/dlq", produces = "application/json")
@Tag(name = "dead letters", description = "Messages parked on hub.dlq")
public class DeadLettersController {

    /** The most messages one request lists. */
    static final int MAX_LIMIT = 500;

    private final ObjectProvider<DeadLetterBrowser> browser;

    public DeadLettersController(ObjectProvider<DeadLetterBrowser> browser) {
        this.browser = browser;
    }

    /**
     * The queue's depth and its oldest messages.
     *
     * @param depth    how many messages are parked
     * @param messages up to {@code limit} of them, oldest first
     */
    public record DeadLetters(long depth, List<DeadLetter> messages) {
    }

    @GetMapping
    @Operation(summary = "Depth of hub.dlq and its oldest parked messages, with their failure context")
    public DeadLetters list(@RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblems.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        DeadLetterBrowser deadLetters = browser.getIfAvailable();
        if (deadLetters == null) {
            throw ApiProblems.unavailable("the dead-letter browser is not running");
        }
        return new DeadLetters(deadLetters.depth(), deadLetters.list(limit));
    }
}
