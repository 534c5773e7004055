package io.omnihub.connectors.wechat;

import static io.omnihub.connectors.wechat.WeChatFixtures.AES_KEY;
import static io.omnihub.connectors.wechat.WeChatFixtures.APP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.CORP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.NONCE;
import static io.omnihub.connectors.wechat.WeChatFixtures.NOW;
import static io.omnihub.connectors.wechat.WeChatFixtures.TIMESTAMP;
import static io.omnihub.connectors.wechat.WeChatFixtures.TOKEN;
import static io.omnihub.connectors.wechat.WeChatFixtures.config;
import static io.omnihub.connectors.wechat.WeChatFixtures.encryptedPush;
import static io.omnihub.connectors.wechat.WeChatFixtures.get;
import static io.omnihub.connectors.wechat.WeChatFixtures.mpConfig;
import static io.omnihub.connectors.wechat.WeChatFixtures.mpSafeModeConfig;
import static io.omnihub.connectors.wechat.WeChatFixtures.post;
import static io.omnihub.connectors.wechat.WeChatFixtures.query;
import static io.omnihub.connectors.wechat.WeChatFixtures.resource;
import static io.omnihub.connectors.wechat.WeChatFixtures.signedQuery;
import static io.omnihub.connectors.wechat.WeChatFixtures.text;
import static io.omnihub.connectors.wechat.WeChatFixtures.wecomConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import io.omnihub.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Webhook handling of plaintext Official Account pushes and handshakes. */
class OfficialAccountWebhookTest {

    private final MutableClock clock = new MutableClock(NOW);

    private WeChatWebhookHandler handler(Map<String, String> config) {
        return new WeChatWebhookHandler(config(config), clock);
    }

    private final WeChatWebhookHandler plain = handler(mpConfig());

    @Test
    void handshakeEchoesEchostrAsIs() {
        Map<String, String> query = signedQuery(TIMESTAMP, NONCE);
        query.put("echostr", "5837397520179212381");

        WebhookResult result = plain.handle(get(query));

        assertThat(result.records()).isEmpty();
        assertThat(result.reply().status()).isEqualTo(200);
        assertThat(result.reply().contentType()).startsWith("text/plain");
        assertThat(result.reply().bodyAsUtf8()).isEqualTo("5837397520179212381");
    }

    @Test
    void handshakeWithForgedSignatureIsRefused() {
        Map<String, String> query = query("signature", "76480565cbe296026c53aaacd1ad523a1ddba24e",
                "timestamp", TIMESTAMP, "nonce", NONCE, "echostr", "echo");
        assertThatThrownBy(() -> plain.handle(get(query))).isInstanceOf(BadSignatureException.class);
    }

    @Test
    void plaintextPushIsRecordedVerbatimAndAnsweredSuccess() {
        byte[] body = resource("text.xml");

        WebhookResult result = plain.handle(post(signedQuery(TIMESTAMP, NONCE), body));

        assertThat(result.reply().bodyAsUtf8()).isEqualTo("success");
        assertThat(result.records()).hasSize(1);
        RawRecord record = result.records().get(0);
        assertThat(record.key()).isEqualTo("1234567890123456");
        assertThat(record.contentType()).isEqualTo("application/xml");
        assertThat(record.payload()).isEqualTo(body);
        assertThat(record.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("kind", "mp", "appId", APP_ID));
        assertThat(record.receivedAt()).isEqualTo(NOW);
    }

    @Test
    void eventIsKeyedByUserTimeAndEvent() {
        WebhookResult result = plain.handle(post(signedQuery(TIMESTAMP, NONCE), resource("subscribe.xml")));
        assertThat(result.records().get(0).key()).isEqualTo("FromUser:123456789:subscribe");
    }

    @Test
    void forgedSignatureIsRefused() {
        Map<String, String> query = signedQuery(TIMESTAMP, NONCE);
        query.put("signature", WeChatSignature.sign("guessed-token", TIMESTAMP, NONCE));
        assertThatThrownBy(() -> plain.handle(post(query, resource("text.xml"))))
                .isInstanceOf(BadSignatureException.class)
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void missingSignatureIsRefused() {
        Map<String, String> query = query("timestamp", TIMESTAMP, "nonce", NONCE);
        assertThatThrownBy(() -> plain.handle(post(query, resource("text.xml"))))
                .isInstanceOf(BadSignatureException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void expiredTimestampIsRefused() {
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThatThrownBy(() -> plain.handle(post(signedQuery(TIMESTAMP, NONCE), resource("text.xml"))))
                .isInstanceOf(BadSignatureException.class)
                .hasMessageContaining("tolerance");
    }

    @Test
    void timestampJustInsideTheToleranceIsAccepted() {
        clock.advance(Duration.ofMinutes(5));
        assertThat(plain.handle(post(signedQuery(TIMESTAMP, NONCE), resource("text.xml"))).records()).hasSize(1);
    }

    @Test
    void timestampFromTheFutureIsRefusedToo() {
        clock.advance(Duration.ofMinutes(-6));
        assertThatThrownBy(() -> plain.handle(post(signedQuery(TIMESTAMP, NONCE), resource("text.xml"))))
                .isInstanceOf(BadSignatureException.class);
    }

    @Test
    void zeroToleranceDisablesTheTimestampCheck() {
        Map<String, String> config = mpConfig();
        config.put("timestamp-tolerance", "0");
        WeChatWebhookHandler lenient = handler(config);
        clock.advance(Duration.ofDays(400));

        assertThat(lenient.handle(post(signedQuery(TIMESTAMP, NONCE), resource("text.xml"))).records()).hasSize(1);
    }

    @Test
    void configuredToleranceIsUsed() {
        Map<String, String> config = mpConfig();
        config.put("timestamp-tolerance", "30s");
        WeChatWebhookHandler strict = handler(config);
        clock.advance(Duration.ofSeconds(31));

        assertThatThrownBy(() -> strict.handle(post(signedQuery(TIMESTAMP, NONCE), resource("text.xml"))))
                .isInstanceOf(BadSignatureException.class);
    }

    @Test
    void doctypeBodyIsRefusedAndNothingIsKept() {
        assertThatThrownBy(() -> plain.handle(post(signedQuery(TIMESTAMP, NONCE), resource("xxe.xml"))))
                .isExactlyInstanceOf(BadInputException.class)
                .hasMessage("XML with a DTD is refused");
        assertThatThrownBy(() -> plain.handle(post(signedQuery(TIMESTAMP, NONCE), resource("billion-laughs.xml"))))
                .isExactlyInstanceOf(BadInputException.class)
                .hasMessage("XML with a DTD is refused");
    }

    @Test
    void doctypeTypedInsideAMessageIsJustText() {
        WebhookResult result = plain.handle(post(signedQuery(TIMESTAMP, NONCE), resource("text-doctype-in-content.xml")));
        assertThat(result.records()).hasSize(1);
    }

    @Test
    void malformedXmlIsRefused() {
        assertThatThrownBy(() -> plain.handle(post(signedQuery(TIMESTAMP, NONCE), resource("malformed.xml"))))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("malformed XML");
        assertThatThrownBy(() -> plain.handle(post(signedQuery(TIMESTAMP, NONCE), new byte[0])))
                .isInstanceOf(BadInputException.class);
        byte[] notWeChat = "<html><body/></html>".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> plain.handle(post(signedQuery(TIMESTAMP, NONCE), notWeChat)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("<html>");
    }

    @Test
    void oversizedBodyIsRefused() {
        byte[] huge = new byte[SafeXml.MAX_BYTES + 1];
        assertThatThrownBy(() -> plain.handle(post(signedQuery(TIMESTAMP, NONCE), huge)))
                .isInstanceOf(BadInputException.class);
    }

    @Test
    void methodsOtherThanGetAndPostAreRefusedAndNotKept() {
        WebhookRequest put = new WebhookRequest("PUT", Map.of(), Map.of(), new byte[0], NOW);
        assertThatThrownBy(() -> plain.handle(put)).isInstanceOf(BadSignatureException.class);
    }

    @Test
    void encryptedPushWithoutAConfiguredKeyIsParked() {
        WebhookRequest push = encryptedPush(text("text.xml"), APP_ID, true);
        assertThatThrownBy(() -> plain.handle(push))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("encoding-aes-key");
    }
}
