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

/** Webhook handling of Official Account safe mode (安全模式). */
class SafeModeWebhookTest {

    private final MutableClock clock = new MutableClock(NOW);

    private WeChatWebhookHandler handler(Map<String, String> config) {
        return new WeChatWebhookHandler(config(config), clock);
    }

    private final WeChatWebhookHandler safe = handler(mpSafeModeConfig());

    @Test
    void safeModeMessageIsDecrypted() {
        String message = text("text-chinese.xml");

        WebhookResult result = safe.handle(encryptedPush(message, APP_ID, true));

        assertThat(result.reply().bodyAsUtf8()).isEqualTo("success");
        RawRecord record = result.records().get(0);
        assertThat(record.payloadAsUtf8()).isEqualTo(message);
        assertThat(record.payload()).isEqualTo(resource("text-chinese.xml"));
        assertThat(record.key()).isEqualTo("24321987654321001");
    }

    @Test
    void handshakeStaysPlaintextInSafeMode() {
        Map<String, String> query = signedQuery(TIMESTAMP, NONCE);
        query.put("echostr", "echo-123");
        assertThat(safe.handle(get(query)).reply().bodyAsUtf8()).isEqualTo("echo-123");
    }

    @Test
    void tamperedCiphertextIsRefused() {
        WebhookRequest push = encryptedPush(text("text.xml"), APP_ID, true);
        String swapped = new WeChatCrypto(AES_KEY, APP_ID).encrypt(text("subscribe.xml"));
        byte[] forgedBody = ("<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><Encrypt><![CDATA["
                + swapped + "]]></Encrypt></xml>").getBytes(StandardCharsets.UTF_8);
        WebhookRequest forged = new WebhookRequest("POST", push.query(), Map.of(), forgedBody, NOW);

        assertThatThrownBy(() -> safe.handle(forged))
                .isInstanceOf(BadSignatureException.class)
                .hasMessageContaining("msg_signature");
    }

    @Test
    void missingMsgSignatureIsRefused() {
        WebhookRequest push = encryptedPush(text("text.xml"), APP_ID, true);
        Map<String, String> query = signedQuery(TIMESTAMP, NONCE);
        query.put("encrypt_type", "aes");
        assertThatThrownBy(() -> safe.handle(post(query, push.body())))
                .isInstanceOf(BadSignatureException.class)
                .hasMessageContaining("msg_signature");
    }

    @Test
    void plainSignatureIsStillRequired() {
        WebhookRequest push = encryptedPush(text("text.xml"), APP_ID, true);
        Map<String, String> query = query("timestamp", TIMESTAMP, "nonce", NONCE, "encrypt_type", "aes",
                "msg_signature", push.queryParam("msg_signature").orElseThrow());
        assertThatThrownBy(() -> safe.handle(post(query, push.body())))
                .isInstanceOf(BadSignatureException.class);
    }

    @Test
    void messageEncryptedForAnotherAppIsRefused() {
        assertThatThrownBy(() -> safe.handle(encryptedPush(text("text.xml"), "wx0000000000000000", true)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("another app id");
    }

    @Test
    void plaintextPushIsRefusedWhenSafeModeIsConfigured() {
        assertThatThrownBy(() -> safe.handle(post(signedQuery(TIMESTAMP, NONCE), resource("text.xml"))))
                .isInstanceOf(BadSignatureException.class)
                .hasMessageContaining("safe mode");
    }

    @Test
    void doctypeInsideTheDecryptedMessageIsRefused() {
        assertThatThrownBy(() -> safe.handle(encryptedPush(text("xxe.xml"), APP_ID, true)))
                .isInstanceOf(BadInputException.class)
                .hasMessage("XML with a DTD is refused");
    }

    @Test
    void doctypeInTheEnvelopeIsRefusedAsUnverifiable() {
        WebhookRequest push = encryptedPush(text("text.xml"), APP_ID, true);
        String body = "<!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/hostname\">]>" + push.bodyAsUtf8();
        WebhookRequest withDtd = new WebhookRequest("POST", push.query(), Map.of(),
                body.getBytes(StandardCharsets.UTF_8), NOW);
        assertThatThrownBy(() -> safe.handle(withDtd))
                .isInstanceOf(BadSignatureException.class)
                .hasMessage("encrypted push cannot be verified: XML with a DTD is refused");
    }
}
