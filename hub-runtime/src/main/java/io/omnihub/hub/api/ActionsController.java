package io.omnihub.hub.api;

import io.omnihub.crm.automation.ActionRecord;
import io.omnihub.crm.automation.Automation;
import io.omnihub.routes.privacy.PersonalDataMasker;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What rules and journeys did: every action with its outcome (sent, queued, suppressed and by which
 * guard, failed and why). Recipients are masked.
 */
@RestController
@RequestMapping(path = "/api/v1/actions", produces = "application/json")
@Tag(name = "automation")
public class ActionsController {

    private static final Set<String> STATUSES = Set.of("planned", "queued", "retrying", "sending", "sent", "unknown", "failed", "suppressed",
            "done");

    private final Automation automation;

    ActionsController(Automation automation) {
        this.automation = automation;
    }

    @GetMapping
    @Operation(summary = "Actions, newest first; filter by customer, status, origin (journey:<id>, rule:<id>)")
    public List<ActionRecord> list(@RequestParam(required = false) String customer, @RequestParam(required = false) String status,
                                   @RequestParam(required = false) String origin, @RequestParam(defaultValue = "100") int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiProblems.badRequest("status must be one of " + String.join(", ", new java.util.TreeSet<>(STATUSES)));
        }
        if (limit < 1 || limit > 1000) {
            throw ApiProblems.badRequest("limit must be between 1 and 1000");
        }
        return automation.ledger().actions(customer, status, origin, limit).stream().map(ActionsController::masked).toList();
    }

    /** Payloads may carry phone numbers or channel ids a template put there: masked like logs are. */
    static ActionRecord masked(ActionRecord a) {
        return new ActionRecord(a.id(), a.customerId(), a.origin(), a.kind(), a.connector(), a.instance(), a.recipientType(), a.recipient(),
                maskValues(a.payload()), a.marketing(), a.campaign(), a.status(), PersonalDataMasker.mask(a.reason()), a.attempts(),
                a.channelReference(), a.notBefore(), a.createdAt(), a.updatedAt());
    }

    @SuppressWarnings("unchecked")
    private static <T> T maskValues(T value) {
        if (value instanceof String text) {
            return (T) PersonalDataMasker.mask(text);
        }
        if (value instanceof java.util.Map<?, ?> map) {
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), maskValues(v)));
            return (T) out;
        }
        if (value instanceof List<?> list) {
            return (T) list.stream().map(ActionsController::maskValues).toList();
        }
        return value;
    }
}
