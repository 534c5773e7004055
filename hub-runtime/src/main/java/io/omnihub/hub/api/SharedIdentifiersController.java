package io.omnihub.hub.api;

import io.omnihub.crm.CrmCore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.omnihub.crm.SharedIdentifierView;
import io.omnihub.hub.privacy.PersonalDataMask;
import io.omnihub.hub.sealing.SealedValueException;
import io.omnihub.hub.sealing.Sealer;
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
 * confirm or overrule each. Values are masked; each listed identifier carries a {@code ref}, sealed
 * by the hub, that names it in a decision without showing it.
 */
@RestController
@RequestMapping(path = "/api/v1/identifiers/shared", produces = "application/json")
@Tag(name = "customers", description = "Single customer view (360)")
public class SharedIdentifiersController {

    private static final Set<String> STATUSES = Set.of("detected", "confirmed", "overruled");

    private static final String REF_CONTEXT = "shared-identifier-ref";

    private final CrmCore crm;
    private final Sealer sealer;

    public SharedIdentifiersController(CrmCore crm, Sealer sealer) {
        this.crm = crm;
        this.sealer = sealer;
    }

    /**
     * A listed shared identifier, its value masked.
     *
     * @param ref names the identifier in a decision ({@code {"ref": ...}}) without its value
     */
    public record Listed(@JsonUnwrapped SharedIdentifierView identifier, String ref) {
    }

    @GetMapping
    @Operation(summary = "Shared identifiers, newest first, with what they were seen with and what was split")
    public List<Listed> list(
            @Parameter(description = "detected, confirmed or overruled; all when absent") @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "100") int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiProblems.badRequest("status must be one of detected, confirmed, overruled");
        }
        return crm.sharedIdentifiers(status, limit).stream()
                .map(s -> new Listed(PersonalDataMask.shared(s), sealer.seal(String.join("\n", s.type(),
                        s.namespace() == null ? "" : s.namespace(), s.value()), REF_CONTEXT)))
                .toList();
    }

    /**
     * An operator's decision on one shared identifier, named by its {@code ref} from the list or by
     * type, value and namespace.
     *
     * @param namespace null for global types such as phone
     * @param note      why (kept)
     */
    public record Decision(String ref, String type, String value, String namespace, String note) {
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

    private SharedIdentifierView decide(Decision given, boolean confirm, Authentication who) {
        Decision d = given == null || given.ref() == null || given.ref().isBlank() ? given : byRef(given);
        if (d == null || d.type() == null || d.type().isBlank() || d.value() == null || d.value().isBlank()) {
            throw ApiProblems.badRequest("give the identifier: {\"ref\": \"<ref from the list>\"} or {\"type\": \"phone\", \"value\": \"+86...\"}");
        }
        try {
            return crm.decideShared(d.type(), d.value(), d.namespace() == null || d.namespace().isBlank() ? null : d.namespace(),
                    confirm, who == null ? null : who.getName(), d.note());
        } catch (NoSuchElementException e) {
            throw ApiProblems.notFound(e.getMessage());
        }
    }

    private Decision byRef(Decision d) {
        String[] key;
        try {
            key = sealer.open(d.ref().strip(), REF_CONTEXT).split("\n", 3);
        } catch (SealedValueException e) {
            throw ApiProblems.badRequest("'ref' is not a shared identifier's ref from GET /api/v1/identifiers/shared");
        }
        return new Decision(null, key[0], key[2], key[1].isEmpty() ? null : key[1], d.note());
    }
}
