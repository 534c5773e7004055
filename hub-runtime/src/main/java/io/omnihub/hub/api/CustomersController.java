package io.omnihub.hub.api;

import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.crm.AmbiguousIdentityException;
import io.omnihub.crm.ConsentStatement;
import io.omnihub.crm.CrmCore;
import io.omnihub.crm.CustomerView;
import io.omnihub.crm.ErasureRecord;
import io.omnihub.crm.MergeRecord;
import io.omnihub.crm.OrderView;
import io.omnihub.hub.privacy.CustomerErasure;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The single customer view, looked up by id or by one of the customer's identities, its consent
 * history, and its merges:
 * each with the event and the identifiers that joined the profiles, undone in one call; and an
 * operator's manual merge. Changes need the operator role; erasure needs the admin role.
 */
@RestController
@RequestMapping(path = "/api/v1/customers", produces = "application/json")
@Tag(name = "customers", description = "Single customer view (360)")
public class CustomersController {

    private static final Pattern IDENTITY_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final CrmCore crm;
    private final CustomerErasure erasure;

    public CustomersController(CrmCore crm, CustomerErasure erasure) {
        this.crm = crm;
        this.erasure = erasure;
    }

    @GetMapping("/{id}")
    @Operation(summary = "A customer by profile id; a merged-away id finds the surviving profile")
    public CustomerView byId(@PathVariable String id) {
        return crm.customer(id).orElseThrow(() -> ApiProblems.notFound("no customer with id '" + id + "'"));
    }

    @GetMapping(params = "identity")
    @Operation(summary = "The customer one identity belongs to")
    public CustomerView byIdentity(
            @Parameter(description = "type:value, e.g. phone:%2B8613800000000 or wechat_openid:oAbc...; encode '+' as %2B")
            @RequestParam String identity,
            @Parameter(description = "the identity's namespace where its type has one (the appid of a wechat_openid)")
            @RequestParam(required = false) String namespace) {
        int colon = identity.indexOf(':');
        if (colon <= 0 || colon == identity.length() - 1) {
            throw ApiProblems.badRequest("identity must be type:value, e.g. phone:+8613800000000");
        }
        String type = identity.substring(0, colon);
        String value = identity.substring(colon + 1);
        if (!IDENTITY_TYPE.matcher(type).matches()) {
            throw ApiProblems.badRequest("'" + type + "' is not an identity type: lowercase letters, digits and '_'");
        }
        if (value.isBlank()) {
            throw ApiProblems.badRequest("identity value is empty");
        }
        if (type.equals(IdentityTypes.PHONE) && value.startsWith(" ")) {
            // An unencoded '+' in a query string arrives as a space.
            value = "+" + value.substring(1);
        }
        String ns = namespace == null || namespace.isBlank() ? null : namespace;
        String shownValue = value;
        try {
            return crm.findByIdentity(type, value, ns)
                    .orElseThrow(() -> ApiProblems.notFound("no customer has identity " + type + ":" + shownValue
                            + (ns == null ? "" : " in namespace " + ns)));
        } catch (AmbiguousIdentityException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
            problem.setTitle("Conflict");
            problem.setProperty("namespaces", e.namespaces());
            throw new ErrorResponseException(HttpStatus.CONFLICT, problem, e);
        }
    }

    @GetMapping("/{id}/orders")
    @Operation(summary = "The customer's orders, newest first, with their lines (sku, name, category, quantity, unit price)")
    public List<OrderView> orders(@PathVariable String id, @RequestParam(defaultValue = "0") int offset,
                                  @RequestParam(defaultValue = "50") int limit) {
        byId(id);
        return crm.orders(id, offset, limit);
    }

    /**
     * A page of a customer's consent history.
     *
     * @param customerId the customer's surviving profile id
     * @param statements every consent statement, newest first (by the time the customer made it), with
     *                   purpose, channel, value and the event, its type and connector instance that carried it
     * @param nextOffset the offset of the next page; null on the last page
     */
    public record ConsentHistory(String customerId, int offset, int limit, List<ConsentStatement> statements, Integer nextOffset) {
    }

    @GetMapping("/{id}/consents")
    @Operation(summary = "The customer's consent history: every statement by purpose and channel, newest first, with its "
            + "source event; the current statement per purpose and channel is the view's consent")
    public ConsentHistory consents(@PathVariable String id, @RequestParam(defaultValue = "0") int offset,
                                   @RequestParam(defaultValue = "50") int limit) {
        if (offset < 0) {
            throw ApiProblems.badRequest("offset must not be negative");
        }
        if (limit < 1 || limit > 1000) {
            throw ApiProblems.badRequest("limit must be between 1 and 1000");
        }
        String customer = byId(id).id();
        List<ConsentStatement> page = crm.consentHistory(customer, offset, limit + 1);
        boolean more = page.size() > limit;
        return new ConsentHistory(customer, offset, limit, more ? page.subList(0, limit) : page, more ? offset + limit : null);
    }

    @GetMapping("/{id}/merges")
    @Operation(summary = "The merges the customer's profile took part in, newest first: the event that caused each, "
            + "the identifiers that joined the two profiles with their evidence, whether and why it was undone")
    public List<MergeRecord> merges(@PathVariable String id) {
        byId(id);
        return crm.merges(id);
    }

    /** Why an operator undoes a merge (optional). */
    public record UndoRequest(String reason) {
    }

    @PostMapping("/{id}/merges/{mergeId}/undo")
    @Operation(summary = "Undoes a merge of this customer: the merged profile comes back with what it brought, and the "
            + "two are kept apart from then on (events no longer merge them; an operator still can)")
    public MergeRecord undo(@PathVariable String id, @PathVariable String mergeId, @RequestBody(required = false) UndoRequest request,
                            Authentication who) {
        byId(id);
        if (crm.merges(id).stream().noneMatch(m -> m.id().equals(mergeId))) {
            throw ApiProblems.notFound("customer '" + id + "' took part in no merge '" + mergeId + "'");
        }
        String reason = "undone by " + (who == null ? "an operator" : who.getName())
                + (request == null || request.reason() == null || request.reason().isBlank() ? "" : ": " + request.reason().strip());
        try {
            return crm.unmerge(mergeId, reason);
        } catch (IllegalStateException e) {
            throw ApiProblems.conflict(e.getMessage());
        } catch (NoSuchElementException e) {
            throw ApiProblems.notFound(e.getMessage());
        }
    }

    /**
     * A manual merge.
     *
     * @param other  the other customer's id
     * @param reason why (kept on the audit record)
     */
    public record MergeRequest(String other, String reason) {
    }

    @PostMapping("/{id}/merge")
    @Operation(summary = "Merges another customer into this one by hand (the older profile survives); audited, and "
            + "undone like any merge")
    public MergeRecord merge(@PathVariable String id, @RequestBody MergeRequest request, Authentication who) {
        if (request == null || request.other() == null || request.other().isBlank()) {
            throw ApiProblems.badRequest("give the other customer's id: {\"other\": \"<id>\", \"reason\": \"...\"}");
        }
        if (request.reason() == null || request.reason().isBlank()) {
            throw ApiProblems.badRequest("give the reason for the merge");
        }
        byId(id);
        byId(request.other());
        try {
            return crm.merge(id, request.other(), "manual merge by " + (who == null ? "an operator" : who.getName()) + ": "
                    + request.reason().strip());
        } catch (IllegalStateException e) {
            throw ApiProblems.conflict(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiProblems.badRequest(e.getMessage());
        } catch (NoSuchElementException e) {
            throw ApiProblems.notFound(e.getMessage());
        }
    }

    /** Why a customer is erased (required: kept on the erasure record). */
    public record ErasureRequest(String reason) {
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Erases a customer (admin): the profile, every profile merged into it and everything held about them, "
            + "their messages on the dead-letter and pipeline queues; their identifiers are suppressed. Reason as JSON body "
            + "{\"reason\": ...} or ?reason=; answers the erasure record")
    public ErasureRecord erase(@PathVariable String id, @RequestParam(required = false) String reason,
                               @RequestBody(required = false) ErasureRequest body, Authentication who) {
        String why = ErasureReasons.required(reason, body == null ? null : body.reason(), "an erasure");
        try {
            return erasure.erase(id, ErasureReasons.actor(who), why);
        } catch (NoSuchElementException e) {
            throw ApiProblems.notFound("no customer with id '" + id + "'");
        }
    }
}
