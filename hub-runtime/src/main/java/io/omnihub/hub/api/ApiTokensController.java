package io.omnihub.hub.api;

import io.omnihub.hub.HubProperties.Security.Role;
import io.omnihub.hub.apitokens.ApiToken;
import io.omnihub.hub.apitokens.ApiTokenStore;
import io.omnihub.hub.apitokens.IssuedApiToken;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * API tokens for machine clients (role admin): created with a name and a role, shown once, listed
 * without their secret, revoked by id.
 */
@RestController
@RequestMapping(path = "/api/v1/tokens", produces = "application/json")
@Tag(name = "tokens", description = "API tokens of machine clients")
public class ApiTokensController {

    private static final int MAX_NAME = 100;

    private final ApiTokenStore store;
    private final Clock clock;

    public ApiTokensController(ApiTokenStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * What to create.
     *
     * @param name      what the token is for, 1-100 characters
     * @param role      {@code viewer}, {@code operator} or {@code admin}
     * @param expiresAt when it stops working (ISO-8601), or absent for never
     * @param reveal    whether it may also reveal customers' personal data (audited per customer);
     *                  for operator tokens, admin tokens always may; absent for no
     */
    public record NewToken(String name, String role, Instant expiresAt, Boolean reveal) {
    }

    /**
     * A created token. {@code token} is the secret clients send as {@code Authorization: Bearer ...};
     * it is shown here once and never again.
     */
    public record Created(String id, String name, String role, String hint, Instant createdAt, String createdBy,
                          Instant expiresAt, boolean reveal, String token) {
    }

    /** A listed token, without its secret. */
    public record Listed(String id, String name, String role, String hint, Instant createdAt, String createdBy,
                         Instant expiresAt, Instant lastUsedAt, Instant revokedAt, String revokedBy, boolean active, boolean reveal) {

        static Listed of(ApiToken token, Instant now) {
            return new Listed(token.id(), token.name(), roleName(token.role()), token.hint(), token.createdAt(), token.createdBy(),
                    token.expiresAt(), token.lastUsedAt(), token.revokedAt(), token.revokedBy(), token.activeAt(now),
                    token.reveal() || token.role() == Role.ADMIN);
        }
    }

    @GetMapping
    @Operation(summary = "Every API token, newest first, revoked and expired ones included; never their secret")
    public List<Listed> list() {
        Instant now = clock.instant();
        return store.list().stream().map(token -> Listed.of(token, now)).toList();
    }

    @PostMapping(consumes = "application/json")
    @Operation(summary = "Creates a token scoped to a role; the answer holds the token, shown this once")
    public ResponseEntity<Created> create(@RequestBody NewToken request, Principal principal) {
        if (request == null || request.name() == null || request.name().isBlank()) {
            throw ApiProblems.badRequest("'name' is required: say what the token is for");
        }
        String name = request.name().strip();
        if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiProblems.badRequest("'name' must be 1-" + MAX_NAME + " characters without control characters");
        }
        Role role = role(request.role());
        if (request.expiresAt() != null && !request.expiresAt().isAfter(clock.instant())) {
            throw ApiProblems.badRequest("'expiresAt' must lie in the future");
        }
        boolean reveal = Boolean.TRUE.equals(request.reveal());
        if (reveal && role == Role.VIEWER) {
            throw ApiProblems.badRequest("'reveal' is for operator tokens: a viewer token cannot reveal personal data");
        }
        IssuedApiToken issued = store.issue(name, role, reveal || role == Role.ADMIN, request.expiresAt(), principal.getName());
        ApiToken token = issued.token();
        return ResponseEntity.status(HttpStatus.CREATED)
                .header("Cache-Control", "no-store")
                .body(new Created(token.id(), token.name(), roleName(token.role()), token.hint(), token.createdAt(),
                        token.createdBy(), token.expiresAt(), token.reveal(), issued.secret()));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revokes a token: every request carrying it is refused from now on, on every node")
    public Listed revoke(@PathVariable String id, Principal principal) {
        return store.revoke(id, principal.getName())
                .map(token -> Listed.of(token, clock.instant()))
                .orElseThrow(() -> ApiProblems.notFound("no API token '" + id + "'"));
    }

    private static Role role(String given) {
        if (given == null || given.isBlank()) {
            throw ApiProblems.badRequest("'role' is required: viewer, operator or admin");
        }
        try {
            return Role.valueOf(given.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblems.badRequest("'role' must be viewer, operator or admin, not '" + given + "'");
        }
    }

    private static String roleName(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
