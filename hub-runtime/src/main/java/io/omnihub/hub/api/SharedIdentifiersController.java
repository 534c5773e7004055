package io.omnihub.hub.api;

import io.omnihub.crm.CrmCore;
import io.omnihub.crm.SharedIdentifierView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Identifiers the CRM core found to be shared by several people (a store's phone, a family phone, a
 * store tablet), with the evidence: they stopped linking and what they glued was split. Operators
 * confirm or overrule each.
 */
@RestController
@RequestMapping(path = "/api/v1/identifiers/shared", produces = "application/json")
@Tag(name = "customers", description = "Single customer view (360)")
public class SharedIdentifiersController {

    private static final Set<String> STATUSES = Set.of("detected", "confirmed", "overruled");

    private final CrmCore crm;

    public SharedIdentifiersController(CrmCore crm) {
        this.crm = crm;
    }

    @GetMapping
    @Operation(summary = "Shared identifiers, newest first, with what they were seen with and what was split")
    public List<SharedIdentifierView> list(
            @Parameter(description = "detected, confirmed or overruled; all when absent") @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "100") int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiProblems.badRequest("status must be one of detected, confirmed, overruled");
        }
        return crm.sharedIdentifiers(status, limit);
    }

    /**
     * An operator's decision on one shared identifier.
     *
     * @param namespace null for global types such as phone
     * @param note      why (kept)
     */
    public record Decision(String type, String value, String namespace, String note) {
    }

    @PostMapping("/confirm")
    @Operation(summary = "Confirms an identifier is shared: it never links")
    public SharedIdentifierView confirm(@RequestBody Decision decision, Authentication who) {
        return decide(decision, true, who);
    }

    @PostMapping("/overrule")
    @Operation(summary = "Overrules the detection: the identifier links again from the next event on (what was split "
            + "stays split; merge by hand where needed)")
    public SharedIdentifierView overrule(@RequestBody Decision decision, Authentication who) {
        return decide(decision, false, who);
    }

    private SharedIdentifierView decide(Decision d, boolean confirm, Authentication who) {
        if (d == null || d.type() == null || d.type().isBlank() || d.value() == null || d.value().isBlank()) {
            throw ApiProblems.badRequest("give the identifier: {\"type\": \"phone\", \"value\": \"+86...\"}");
        }
        try {
            return crm.decideShared(d.type(), d.value(), d.namespace() == null || d.namespace().isBlank() ? null : d.namespace(),
                    confirm, who == null ? null : who.getName(), d.note());
        } catch (NoSuchElementException e) {
            throw ApiProblems.notFound(e.getMessage());
        }
    }
}
