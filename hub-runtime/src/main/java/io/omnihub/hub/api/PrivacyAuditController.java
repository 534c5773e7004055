package io.omnihub.hub.api;

import io.omnihub.hub.privacy.PrivacyAudit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Who looked at which customer's personal data in clear, when, why and from where (admin). */
@RestController
@RequestMapping(path = "/api/v1/privacy/audit", produces = "application/json")
@Tag(name = "privacy", description = "Personal data: audit, erasure, suppressions")
public class PrivacyAuditController {

    private static final Set<String> ACTIONS = Set.of("reveal", "export");

    private final PrivacyAudit audit;

    public PrivacyAuditController(PrivacyAudit audit) {
        this.audit = audit;
    }

    @GetMapping
    @Operation(summary = "Reveals and exports, newest first, filtered by customer, actor, action and time")
    public PrivacyAudit.Page list(
            @Parameter(description = "the customer's profile id") @RequestParam(required = false) String customer,
            @Parameter(description = "a user name, or token:<name>") @RequestParam(required = false) String actor,
            @Parameter(description = "reveal or export") @RequestParam(required = false) String action,
            @Parameter(description = "at or after (ISO-8601)") @RequestParam(required = false) String from,
            @Parameter(description = "before (ISO-8601)") @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "100") int limit) {
        if (action != null && !ACTIONS.contains(action)) {
            throw ApiProblems.badRequest("action must be reveal or export");
        }
        if (offset < 0) {
            throw ApiProblems.badRequest("offset must not be negative");
        }
        if (limit < 1 || limit > 1000) {
            throw ApiProblems.badRequest("limit must be between 1 and 1000");
        }
        return audit.list(new PrivacyAudit.Filter(blankToNull(customer), blankToNull(actor), action, instant("from", from),
                instant("to", to)), offset, limit);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiProblems.badRequest("'" + name + "' must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
