package io.omnihub.hub.api;

import io.omnihub.crm.CrmCore;
import io.omnihub.crm.CustomerExport;
import io.omnihub.crm.CustomerView;
import io.omnihub.hub.privacy.PrivacyAudit;
import io.omnihub.hub.privacy.Unmasked;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A customer's personal data in clear, the two ways there are: a reveal of the 360 view (the
 * {@code reveal} permission, a reason) and the access export of everything held (admin). Each is
 * audited before it answers; everything else of the customers API is masked.
 */
@RestController
@RequestMapping(path = "/api/v1/customers", produces = "application/json")
@Tag(name = "customers", description = "Single customer view (360)")
public class CustomerPrivacyController {

    private final CrmCore crm;
    private final CustomerExport export;
    private final PrivacyAudit audit;

    public CustomerPrivacyController(CrmCore crm, CustomerExport export, PrivacyAudit audit) {
        this.crm = crm;
        this.export = export;
        this.audit = audit;
    }

    /**
     * Why personal data is revealed.
     *
     * @param reason why (required; kept in the privacy audit)
     */
    public record RevealRequest(String reason) {
    }

    @PostMapping(path = "/{id}/reveal")
    @Unmasked
    @Operation(summary = "The customer's 360 view with personal data unmasked; needs the reveal permission (admins, operators "
            + "granted it) and a reason, and is audited (GET /api/v1/privacy/audit)")
    public ResponseEntity<CustomerView> reveal(@PathVariable String id, @RequestBody(required = false) RevealRequest request,
                                               Authentication who, HttpServletRequest http) {
        String reason = request == null ? null : request.reason();
        if (reason == null || reason.isBlank()) {
            throw ApiProblems.badRequest("give the reason for revealing this customer's personal data: {\"reason\": \"...\"}");
        }
        CustomerView customer = crm.customer(id).orElseThrow(() -> ApiProblems.notFound("no customer with id '" + id + "'"));
        audit.record(who.getName(), "reveal", customer.id(), reason, http.getRemoteAddr());
        return ResponseEntity.ok().header("Cache-Control", "no-store").body(customer);
    }

    @GetMapping("/{id}/export")
    @Unmasked
    @Operation(summary = "Everything held about the person (profiles, identities with evidence, unlinked identities, timeline, "
            + "orders, tags, scores, segments, enrollments, actions, tasks, merges) as one JSON document, unmasked; admin, audited")
    public ResponseEntity<CustomerExport.Document> export(
            @PathVariable String id,
            @Parameter(description = "why, e.g. the person's access request number (kept in the privacy audit)")
            @RequestParam(required = false) String reason,
            Authentication who, HttpServletRequest http) {
        CustomerExport.Document document = export.of(id).orElseThrow(() -> ApiProblems.notFound("no customer with id '" + id + "'"));
        audit.record(who.getName(), "export", document.customerId(), reason, http.getRemoteAddr());
        return ResponseEntity.ok().header("Cache-Control", "no-store")
                .header("Content-Disposition", "attachment; filename=\"customer-" + document.customerId() + ".json\"")
                .body(document);
    }
}
