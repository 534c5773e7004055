package io.omnihub.connectors.douyin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DouyinSignatureTest {

    /** PROTOCOLS §3, computed example: secret test_client_secret over the documented handshake body. */
    private static final String VECTOR_SECRET = "test_client_secret";
    private static final byte[] VECTOR_BODY =
            "{\"event\":\"verify_webhook\",\"client_key\":\"abc\",\"content\":{\"challenge\":12345}}".getBytes(StandardCharsets.UTF_8);
    private static final String VECTOR_SIGNATURE = "ed6b1797456b888e29a8fcc49521ba7e1993f7bc";

    @Test
    void signsTheProtocolVectorAsLowercaseSha1Hex() {
        assertThat(DouyinSignature.sign(VECTOR_SECRET, VECTOR_BODY)).isEqualTo(VECTOR_SIGNATURE);
    }

    @Test
    void theVectorFileIsTheDocumentedBodyByteForByte() {
        assertThat(DouyinFixtures.resource("open/verify-webhook.json")).isEqualTo(VECTOR_BODY);
    }

    @Test
    void acceptsTheVectorInEitherHexCase() {
        assertThat(DouyinSignature.matches(VECTOR_SIGNATURE, VECTOR_SECRET, VECTOR_BODY)).isTrue();
        assertThat(DouyinSignature.matches(VECTOR_SIGNATURE.toUpperCase(), VECTOR_SECRET, VECTOR_BODY)).isTrue();
    }

    @Test
    void refusesAnotherSecretAnotherBodyOrNoSignature() {
        assertThat(DouyinSignature.matches(VECTOR_SIGNATURE, "other_client_secret", VECTOR_BODY)).isFalse();
        byte[] reencoded = "{\"event\": \"verify_webhook\", \"client_key\": \"abc\", \"content\": {\"challenge\": 12345}}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(DouyinSignature.matches(VECTOR_SIGNATURE, VECTOR_SECRET, reencoded)).isFalse();
        assertThat(DouyinSignature.matches(null, VECTOR_SECRET, VECTOR_BODY)).isFalse();
    }

    @Test
    void signsTheRawUtf8BytesOfChineseText() {
        byte[] body = DouyinFixtures.resource("open/im-receive-msg-text.json");

        assertThat(DouyinSignature.sign(DouyinFixtures.CLIENT_SECRET, body))
                .isEqualTo(DouyinFixtures.sha1Hex(DouyinFixtures.CLIENT_SECRET, body));
        // The same text escaped as \\uXXXX is different bytes, hence a different signature.
        String escaped = new String(body, StandardCharsets.UTF_8).replace("你好", "\\u4f60\\u597d");
        assertThat(DouyinSignature.matches(DouyinSignature.sign(DouyinFixtures.CLIENT_SECRET, body),
                DouyinFixtures.CLIENT_SECRET, escaped.getBytes(StandardCharsets.UTF_8))).isFalse();
    }
}
