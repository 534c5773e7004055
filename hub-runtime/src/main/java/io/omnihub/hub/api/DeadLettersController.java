package io.omnihub.hub.api;

import io.omnihub.hub.deadletters.DeadLetterDetail;
import io.omnihub.hub.deadletters.DeadLetterFilter;
import io.omnihub.hub.deadletters.DeadLetterOffice;
import io.omnihub.routes.DeadLetter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Messages parked on {@code hub.dlq}: list, inspect, replay, discard. */
@RestController
@RequestMapping(path = "/api/v1/dlq", produces = "application/json")
@Tag(name = "dead letters", description = "Messages parked on hub.dlq")
public class DeadLettersController {

    /** The most messages one request lists or replays. */
    static final int MAX_LIMIT = 500;

    private final DeadLetterOffice office;

    public DeadLettersController(DeadLetterOffice office) {
        this.office = office;
    }

    /**
     * The queue's depth and the oldest matching messages.
     *
     * @param depth    how many messages are parked in all
     * @param matching how many match the filter
     * @param messages up to {@code limit} of those, oldest first
     */
    public record DeadLetters(long depth, long matching, List<DeadLetter> messages) {
    }

    @GetMapping
    @Operation(summary = "Depth of hub.dlq and its oldest parked messages, filtered by connector, instance, stage "
            + "(broker for messages the broker parked) and a piece of the error")
    public DeadLetters list(@RequestParam(defaultValue = "50") int limit,
                            @RequestParam(required = false) String connector,
                            @RequestParam(required = false) String instance,
                            @RequestParam(required = false) String stage,
                            @RequestParam(required = false) String error) {
        checkLimit(limit);
        DeadLetterOffice.Page page = office.list(new DeadLetterFilter(connector, instance, stage, error), limit);
        return new DeadLetters(page.depth(), page.matching(), page.messages());
    }

    @GetMapping("/{messageId}")
    @Operation(summary = "One parked message in full: context, properties and payload with personal data masked, and where a replay sends it")
    public DeadLetterDetail show(@PathVariable String messageId) {
        return office.show(messageId).orElseThrow(() -> notParked(messageId));
    }

    @PostMapping("/{messageId}/replay")
    @Operation(summary = "Sends the message back to the queue of the stage that failed, attempt counter reset; 409 when it cannot be replayed")
    public DeadLetterOffice.ReplayOutcome replay(@PathVariable String messageId, Principal who) {
        DeadLetterOffice.ReplayOutcome outcome = office.replay(messageId, who.getName()).orElseThrow(() -> notParked(messageId));
        if (!outcome.replayed()) {
            throw ApiProblems.conflict("dead letter " + messageId + " cannot be replayed: " + outcome.problem());
        }
        return outcome;
    }

    /**
     * Which messages to replay: either {@code ids}, or those matching the filter fields (at most {@code limit}).
     *
     * @param ids       message ids
     * @param connector filter: connector id
     * @param instance  filter: instance id
     * @param stage     filter: the stage that failed
     * @param error     filter: a piece of the error
     * @param limit     the most messages a filter replays (default 100)
     */
    public record ReplayRequest(List<String> ids, String connector, String instance, String stage, String error, Integer limit) {
    }

    @PostMapping(path = "/replay", consumes = "application/json")
    @Operation(summary = "Replays many: the given ids, or the oldest messages matching the filter; one outcome per message")
    public List<DeadLetterOffice.ReplayOutcome> replayMany(@RequestBody ReplayRequest request, Principal who) {
        if (request.ids() != null && !request.ids().isEmpty()) {
            if (request.ids().size() > MAX_LIMIT) {
                throw ApiProblems.badRequest("at most " + MAX_LIMIT + " ids per request");
            }
            return office.replayAll(request.ids(), who.getName());
        }
        DeadLetterFilter filter = new DeadLetterFilter(request.connector(), request.instance(), request.stage(), request.error());
        if (filter.equals(DeadLetterFilter.ALL)) {
            throw ApiProblems.badRequest("give ids, or at least one of connector, instance, stage, error");
        }
        int limit = request.limit() == null ? 100 : request.limit();
        checkLimit(limit);
        return office.replayMatching(filter, limit, who.getName());
    }

    /**
     * Why a message is discarded.
     *
     * @param reason said in the audit record; required
     */
    public record DiscardRequest(String reason) {
    }

    @PostMapping(path = "/{messageId}/discard", consumes = "application/json")
    @Operation(summary = "Removes the message for good, writing an audit record (who, when, why, what it was)")
    public DeadLetter discard(@PathVariable String messageId, @RequestBody DiscardRequest request, Principal who) {
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            throw ApiProblems.badRequest("say why the message is discarded: {\"reason\": \"...\"}");
        }
        return office.discard(messageId, who.getName(), request.reason().trim()).orElseThrow(() -> notParked(messageId));
    }

    @GetMapping("/audit")
    @Operation(summary = "The latest replays and discards, newest first")
    public List<DeadLetterOffice.AuditEntry> audit(@RequestParam(defaultValue = "50") int limit) {
        checkLimit(limit);
        return office.audit(limit);
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblems.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    private static org.springframework.web.ErrorResponseException notParked(String messageId) {
        return ApiProblems.notFound("no parked message with id '" + messageId + "'");
    }
}
