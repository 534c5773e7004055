package io.omnihub.connectors.douyin;

import static io.omnihub.connectors.douyin.DouyinFixtures.CLIENT_KEY;
import static io.omnihub.connectors.douyin.DouyinFixtures.CLIENT_SECRET;
import static io.omnihub.connectors.douyin.DouyinFixtures.NOW;
import static io.omnihub.connectors.douyin.DouyinFixtures.config;
import static io.omnihub.connectors.douyin.DouyinFixtures.openConfig;
import static io.omnihub.connectors.douyin.DouyinFixtures.post;
import static io.omnihub.connectors.douyin.DouyinFixtures.resource;
import static io.omnihub.connectors.douyin.DouyinFixtures.sha1Hex;
import static io.omnihub.connectors.douyin.DouyinFixtures.signedOpenPush;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DouyinWebhookHandlerTest {

    private final DouyinWebhookHandler handler = new DouyinWebhookHandler(config(openConfig()));

    /** The PROTOCOLS §3 vector app: client_secret test_client_secret. */
    private static DouyinWebhookHandler vectorHandler() {
        Map<String, String> config = openConfig();
        config.put("client-key", "abc");
        config.put("client-secret", "test_client_secret");
        return new DouyinWebhookHandler(config(config));
    }

    @Test
    void handshakeWithTheProtocolVectorIsAnsweredWithTheSameChallengeAndKeepsNothing() {
        WebhookRequest handshake = post(resource("open/verify-webhook.json"),
                "X-Douyin-Signature", "ed6b1797456b888e29a8fcc49521ba7e1993f7bc");

        WebhookResult result = vectorHandler().handle(handshake);

        assertThat(result.reply().status()).isEqualTo(200);
        assertThat(result.reply().contentType()).startsWith("application/json");
        assertThat(result.reply().bodyAsUtf8()).isEqualTo("{\"challenge\":12345}");
        assertThat(result.records()).isEmpty();
    }

    @Test
    void handshakeWhoseContentIsAJsonStringIsAnsweredToo() {
        byte[] body = resource("open/verify-webhook-string-content.json");

        WebhookResult result = handler.handle(post(body, "X-Douyin-Signature", sha1Hex(CLIENT_SECRET, body)));

        assertThat(result.reply().bodyAsUtf8()).isEqualTo("{\"challenge\":12345}");
        assertThat(result.records()).isEmpty();
    }

    @Test
    void handshakeChallengeIsEchoedExactlyWhetherNumberOrString() {
        byte[] big = "{\"event\":\"verify_webhook\",\"client_key\":\"\",\"content\":{\"challenge\":9007199254740993}}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] text = "{\"event\":\"verify_webhook\",\"client_key\":\"\",\"content\":{\"challenge\":\"c-42\"}}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(handler.handle(post(big, "X-Douyin-Signature", sha1Hex(CLIENT_SECRET, big))).reply().bodyAsUtf8())
                .isEqualTo("{\"challenge\":9007199254740993}");
        assertThat(handler.handle(post(text, "X-Douyin-Signature", sha1Hex(CLIENT_SECRET, text))).reply().bodyAsUtf8())
                .isEqualTo("{\"challenge\":\"c-42\"}");
    }

    @Test
    void unsignedHandshakeIsRefused() {
        WebhookRequest handshake = post(resource("open/verify-webhook.json"));

        assertThatThrownBy(() -> vectorHandler().handle(handshake))
                .isInstanceOf(BadSignatureException.class).hasMessageContaining("X-Douyin-Signature");
    }

    @Test
    void handshakeSignedWithAnotherSecretIsRefused() {
        byte[] body = resource("open/verify-webhook.json");

        assertThatThrownBy(() -> vectorHandler().handle(post(body, "X-Douyin-Signature", sha1Hex("guessed_secret", body))))
                .isInstanceOf(BadSignatureException.class);
    }

    @Test
    void signedPushBecomesOneRecordKeyedByMsgIdWithTheRawBytes() {
        WebhookRequest push = signedOpenPush("im-receive-msg-text.json", "3f9c2a1b-7d4e-4c8a-b5f6-0e1d2c3b4a59");

        WebhookResult result = handler.handle(push);

        assertThat(result.reply().status()).isEqualTo(200);
        assertThat(result.records()).hasSize(1);
        RawRecord record = result.records().get(0);
        assertThat(record.key()).isEqualTo("3f9c2a1b-7d4e-4c8a-b5f6-0e1d2c3b4a59");
        assertThat(record.contentType()).isEqualTo("application/json");
        assertThat(record.payload()).isEqualTo(push.body());
        assertThat(record.payloadAsUtf8()).contains("你好，请问这款跑鞋有 42 码吗？");
        assertThat(record.attributes()).containsEntry("kind", "open").containsEntry("clientKey", CLIENT_KEY)
                .containsEntry("msgId", "3f9c2a1b-7d4e-4c8a-b5f6-0e1d2c3b4a59");
        assertThat(record.receivedAt()).isEqualTo(NOW);
    }

    @Test
    void pushWithoutMsgIdIsKeyedByItsBodyMsgIdOrLogId() {
        byte[] body = resource("open/life-trade-order-notify-pay-success.json");
        byte[] other = resource("open/authorize.json");

        RawRecord withBodyMsgId = handler.handle(post(body, "X-Douyin-Signature", sha1Hex(CLIENT_SECRET, body))).records().get(0);
        RawRecord withLogId = handler.handle(post(other, "X-Douyin-Signature", sha1Hex(CLIENT_SECRET, other))).records().get(0);

        assertThat(withBodyMsgId.key()).isEqualTo("13cedde5b8decd82f5c2267a60edd7ad");
        assertThat(withBodyMsgId.attributes()).doesNotContainKey("msgId");
        assertThat(withLogId.key()).isEqualTo("2025052010000101015903714833078B1B");
    }

    @Test
    void signatureIsCheckedOverTheRawBytesNotTheParsedJson() {
        WebhookRequest signed = signedOpenPush("authorize.json", "m-1");
        String reformatted = new String(signed.body(), StandardCharsets.UTF_8).replace(",", ", ");
        WebhookRequest tampered = new WebhookRequest("POST", Map.of(), signed.headers(),
                reformatted.getBytes(StandardCharsets.UTF_8), NOW);

        assertThatThrownBy(() -> handler.handle(tampered)).isInstanceOf(BadSignatureException.class);
    }

    @Test
    void forgedSignatureIsRefusedAndNothingKept() {
        byte[] body = resource("open/authorize.json");
        WebhookRequest forged = post(body, "X-Douyin-Signature", "0" + sha1Hex(CLIENT_SECRET, body).substring(1));

        assertThatThrownBy(() -> handler.handle(forged))
                .isInstanceOf(BadSignatureException.class)
                .hasMessageNotContaining(CLIENT_SECRET);
    }

    @Test
    void getIsRefusedAsUnauthenticated() {
        WebhookRequest get = new WebhookRequest("GET", Map.of(), Map.of(), new byte[0], NOW);

        assertThatThrownBy(() -> handler.handle(get)).isInstanceOf(BadSignatureException.class);
    }

    @Test
    void signedPushForAnotherClientKeyIsBadInput() {
        byte[] body = resource("open/other-client-key.json");

        assertThatThrownBy(() -> handler.handle(post(body, "X-Douyin-Signature", sha1Hex(CLIENT_SECRET, body))))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("awOTHERclientKey01").hasMessageContaining(CLIENT_KEY);
    }

    @Test
    void signedBodyThatIsNotJsonIsBadInput() {
        byte[] body = "event=authorize".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> handler.handle(post(body, "X-Douyin-Signature", sha1Hex(CLIENT_SECRET, body))))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith("Douyin push is not JSON");
    }

    @Test
    void signedJsonThatIsNoPushIsBadInputNamingWhatIsMissing() {
        for (String json : List.of("[1,2]", "{\"client_key\":\"" + CLIENT_KEY + "\"}",
                "{\"event\":\"verify_webhook\",\"content\":{}}", "{\"event\":\"verify_webhook\",\"content\":\"not json\"}")) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> handler.handle(post(body, "X-Douyin-Signature", sha1Hex(CLIENT_SECRET, body))))
                    .as(json).isInstanceOf(BadInputException.class);
        }
    }

    @Test
    void deeplyNestedJsonIsRefusedAsBadInput() {
        String deep = "{\"event\":\"x\",\"content\":" + "[".repeat(200) + "]".repeat(200) + "}";
        byte[] body = deep.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> handler.handle(post(body, "X-Douyin-Signature", sha1Hex(CLIENT_SECRET, body))))
                .isInstanceOf(BadInputException.class);
    }
}
