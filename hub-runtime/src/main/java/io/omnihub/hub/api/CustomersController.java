package io.omnihub.hub.api;

import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.crm.CrmCore;
import io.omnihub.crm.CustomerView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The single customer view, looked up by id or by one of the customer's identities. */
@RestController
@RequestMapping(path = "/api/v1/customers", produces = "application/json")
@Tag(name = "customers", description = "Single customer view (360)")
public class CustomersController {

    private static final Pattern IDENTITY_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final CrmCore crm;

    public CustomersController(CrmCore crm) {
        this.crm = crm;
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
        return crm.findByIdentity(type, value, ns)
                .orElseThrow(() -> ApiProblems.notFound("no customer has identity " + type + ":" + shownValue
                        + (ns == null ? "" : " in namespace " + ns)));
    }
}
