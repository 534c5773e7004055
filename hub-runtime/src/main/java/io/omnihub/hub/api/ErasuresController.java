package io.omnihub.hub.api;

import io.omnihub.crm.CrmCore;
import io.omnihub.crm.ErasureRecord;
import io.omnihub.crm.SuppressionView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The records of erasures and the suppression list they leave (identifier type and namespace, never
 * the value), and lifting a suppression by its id or by presenting the identifier. Admin only.
 */
@RestController
@RequestMapping(path = "/api/v1/privacy", produces = "application/json")
@Tag(name = "privacy", description = "Erasure records and the suppression list")
public class ErasuresController {

    private static final int MAX_LIMIT = 1000;

    private final CrmCore crm;

    public ErasuresController(CrmCore crm) {
        this.crm = crm;
    }

    @GetMapping("/erasures")
    @Operation(summary = "Erasures, newest first: who, when, why, and how much of each kind went (no personal data)")
    public List<ErasureRecord> erasures(@RequestParam(defaultValue = "100") int limit) {
        return crm.erasures(limit(limit));
    }

    @GetMapping("/suppressions")
    @Operation(summary = "Suppressed identifiers without their values, newest first: type, namespace, erasure, hits, last hit; "
            + "lifted ones too with lifted=true")
    public List<SuppressionView> suppressions(@RequestParam(defaultValue = "false") boolean lifted,
                                              @RequestParam(defaultValue = "100") int limit) {
        return crm.suppressions(lifted, limit(limit));
    }

    /** Why a suppression is lifted (required). */
    public record LiftRequest(String reason) {
    }

    @DeleteMapping("/suppressions/{id}")
    @Operation(summary = "Lifts a suppression: events carrying the identifier apply again, on every node; who, when and why "
            + "stay on the suppression (reason as JSON body or ?reason=)")
    public SuppressionView lift(@PathVariable String id, @RequestParam(required = false) String reason,
                                @RequestBody(required = false) LiftRequest body, Authentication who) {
        String why = ErasureReasons.required(reason, body == null ? null : body.reason(), "lifting a suppression");
        try {
            return crm.liftSuppression(id, ErasureReasons.actor(who), why);
        } catch (NoSuchElementException e) {
            throw ApiProblems.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw ApiProblems.conflict(e.getMessage());
        }
    }

    /**
     * The identifier whose suppression is lifted, presented by someone who knows it (the list shows no values).
     *
     * @param type      e.g. {@code phone}
     * @param value     the value, e.g. {@code +8613912345678}
     * @param namespace its namespace where the type has one (an openid's appid)
     * @param reason    why (required)
     */
    public record LiftByValueRequest(String type, String value, String namespace, String reason) {
    }

    @PostMapping("/suppressions/lift")
    @Operation(summary = "Lifts the suppression of an identifier given by value (its keyed hash is computed again); "
            + "404 when it is not suppressed. The value travels in the body, never in a URL or a log")
    public SuppressionView liftByValue(@RequestBody LiftByValueRequest request, Authentication who) {
        if (request == null || request.type() == null || request.type().isBlank() || request.value() == null || request.value().isBlank()) {
            throw ApiProblems.badRequest("give the identifier: {\"type\": \"phone\", \"value\": \"+86...\", \"namespace\": null, \"reason\": \"...\"}");
        }
        String why = ErasureReasons.required(request.reason(), null, "lifting a suppression");
        String ns = request.namespace() == null || request.namespace().isBlank() ? null : request.namespace();
        try {
            return crm.liftSuppression(request.type(), request.value(), ns, ErasureReasons.actor(who), why)
                    .orElseThrow(() -> ApiProblems.notFound("that " + request.type() + " identifier is not suppressed"));
        } catch (IllegalArgumentException e) {
            throw ApiProblems.badRequest(e.getMessage());
        }
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblems.badRequest("limit must be 1 to " + MAX_LIMIT);
        }
        return limit;
    }
}
