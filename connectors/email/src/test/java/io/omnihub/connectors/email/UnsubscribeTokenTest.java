package io.omnihub.connectors.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class UnsubscribeTokenTest {

    private final UnsubscribeToken tokens = new UnsubscribeToken(EmailFixtures.SECRET);

    @Test
    void aTokenOpensToTheRecipientAndMessageItWasIssuedFor() {
        String token = tokens.issue("li.lei@example.com", "omnihub.0123456789abcdef");

        assertThat(tokens.open(token)).contains(new UnsubscribeToken.Subject("li.lei@example.com", "omnihub.0123456789abcdef"));
        assertThat(tokens.issue("li.lei@example.com", "omnihub.0123456789abcdef")).as("deterministic").isEqualTo(token);
        assertThat(token).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void theAddressCannotBeReadFromTheToken() {
        String token = tokens.issue("li.lei@example.com", "omnihub.1");

        assertThat(new String(Base64.getUrlDecoder().decode(token), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("li.lei");
    }

    @Test
    void everyAlteredTokenAndEveryOtherSecretsTokenIsRefused() {
        String token = tokens.issue("li.lei@example.com", "omnihub.1");
        byte[] raw = Base64.getUrlDecoder().decode(token);

        for (int i = 0; i < raw.length; i++) {
            byte[] altered = raw.clone();
            altered[i] ^= 0x01;
            assertThat(tokens.open(Base64.getUrlEncoder().withoutPadding().encodeToString(altered))).as("byte %d flipped", i).isEmpty();
        }
        assertThat(new UnsubscribeToken("another-secret-of-enough-length-000000").open(token)).isEmpty();
        char last = token.charAt(token.length() - 1);
        assertThat(tokens.open(token.substring(0, token.length() - 1) + (char) (last + 1))).as("another spelling of the last character").isEmpty();
        assertThat(tokens.open("")).isEmpty();
        assertThat(tokens.open("not base64 at all!")).isEmpty();
    }
}
