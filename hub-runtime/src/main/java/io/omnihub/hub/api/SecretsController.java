package io.omnihub.hub.api;

import io.omnihub.hub.sealing.SealedConfiguration;
import io.omnihub.hub.sealing.Sealer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Seals a secret for the hub's configuration (role admin): the answer, {@code sealed:v1:...}, may
 * stand for the secret in {@code application.yml}, on the command line or in an environment variable,
 * and only a hub holding the same sealing key reads it.
 */
@RestController
@RequestMapping(path = "/api/v1/secrets", produces = "application/json")
@Tag(name = "secrets", description = "Sealed values for the hub's configuration")
public class SecretsController {

    private static final int MAX_SECRET = 4096;

    private final Sealer sealer;

    public SecretsController(Sealer sealer) {
        this.sealer = sealer;
    }

    /** @param value the secret to seal */
    public record Plain(String value) {
        @Override
        public String toString() {
            return "Plain[******]";
        }
    }

    /**
     * @param sealed what to write in the configuration instead of the secret
     * @param keyId  the sealing key it was sealed with
     */
    public record Sealed(String sealed, String keyId) {
    }

    @PostMapping(path = "/seal", consumes = "application/json")
    @Operation(summary = "Seals a secret for the configuration (an outbound webhook's secret, a connector's app-secret, a database password)")
    public ResponseEntity<Sealed> seal(@RequestBody Plain plain) {
        if (plain == null || plain.value() == null || plain.value().isEmpty()) {
            throw ApiProblems.badRequest("'value' is required: the secret to seal");
        }
        if (plain.value().length() > MAX_SECRET) {
            throw ApiProblems.badRequest("'value' is longer than " + MAX_SECRET + " characters");
        }
        return ResponseEntity.ok().header("Cache-Control", "no-store")
                .body(new Sealed(sealer.seal(plain.value(), SealedConfiguration.CONTEXT), sealer.currentKeyId()));
    }
}
