package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The signature scheme against a vector computed independently (Python's hmac module). */
class ${className}SignerTest {

    private static final byte[] BODY = "{\"event_id\":\"evt_1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsTimestampDotBodyWithHmacSha256() {
        ${className}Signer signer = new ${className}Signer("whsec_test_0123456789abcdef");

        assertThat(signer.sign("1747706400", BODY))
                .isEqualTo("39ff93d128902526f71914f68f1206ffbf71ed32a54f6b65c9528e12be8ba4dd");
    }

    @Test
    void refusesASignatureMadeWithAnotherSecret() {
        String forged = new ${className}Signer("whsec_attacker_guess_000").sign("1747706400", BODY);

        assertThat(new ${className}Signer("whsec_test_0123456789abcdef").verify("1747706400", BODY, forged)).isFalse();
    }
}
