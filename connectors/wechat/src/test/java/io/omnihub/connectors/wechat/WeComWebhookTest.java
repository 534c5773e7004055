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

/** Webhook handling of WeCom callbacks: everything encrypted, handshake included. */
class WeComWebhookTest {

    private final MutableClock clock = new MutableClock(NOW);

    private WeChatWebhookHandler handler(Map<String, String> config) {
        return new WeChatWebhookHandler(config(config), clock);
    }

    private final WeChatWebhookHandler wecom = handler(wecomConfig());
    private final WeChatCrypto corpCrypto = new WeChatCrypto(AES_KEY, CORP_ID);

    @Test
    void handshakeDecryptsEchostr() {
        String echostr = corpCrypto.encrypt("1616140317555161061");
        Map<String, String> query = query("msg_signature", WeChatSignature.sign(TOKEN, TIMESTAMP, NONCE, echostr),
                "timestamp", TIMESTAMP, "nonce", NONCE, "echostr", echostr);

        WebhookResult result = wecom.handle(get(query));

        assertThat(result.records()).isEmpty();
        assertThat(result.reply().bodyAsUtf8()).isEqualTo("1616140317555161061");
    }

    @Test
    void handshakeSurvivesAPlusDecodedToASpace() {
        String echostr = "";
        for (int i = 0; !echostr.contains("+"); i++) {
            echostr = corpCrypto.encrypt("echo-" + i);
        }
        Map<String, String> query = query("msg_signature", WeChatSignature.sign(TOKEN, TIMESTAMP, NONCE, echostr),
                "timestamp", TIMESTAMP, "nonce", NONCE, "echostr", echostr.replace('+', ' '));

        assertThat(wecom.handle(get(query)).reply().bodyAsUtf8()).startsWith("echo-");
    }

    @Test
    void handshakeWithForgedSignatureIsRefused() {
        String echostr = corpCrypto.encrypt("123");
        Map<String, String> query = query("msg_signature", WeChatSignature.sign("wrong", TIMESTAMP, NONCE, echostr),
                "timestamp", TIMESTAMP, "nonce", NONCE, "echostr", echostr);
        assertThatThrownBy(() -> wecom.handle(get(query))).isInstanceOf(BadSignatureException.class);
    }

    @Test
    void handshakeForAnotherCorpIsRefused() {
        String echostr = new WeChatCrypto(AES_KEY, "ww0000000000000000").encrypt("123");
        Map<String, String> query = query("msg_signature", WeChatSignature.sign(TOKEN, TIMESTAMP, NONCE, echostr),
                "timestamp", TIMESTAMP, "nonce", NONCE, "echostr", echostr);
        assertThatThrownBy(() -> wecom.handle(get(query))).isInstanceOf(BadInputException.class);
    }

    @Test
    void pushIsVerifiedDecryptedAndRecorded() {
        String message = text("wecom-add-external-contact.xml");

        WebhookResult result = wecom.handle(encryptedPush(message, CORP_ID, false));

        assertThat(result.reply().bodyAsUtf8()).isEqualTo("success");
        RawRecord record = result.records().get(0);
        assertThat(record.payloadAsUtf8()).isEqualTo(message);
        assertThat(record.key()).isEqualTo("woAJ2GCAAAXtWyujaWJHDDGi0mACH71w:1403610513:add_external_contact");
        assertThat(record.attributes()).containsEntry("kind", "wecom").containsEntry("appId", CORP_ID);
    }

    @Test
    void forgedPushIsRefused() {
        WebhookRequest push = encryptedPush(text("wecom-add-external-contact.xml"), CORP_ID, false);
        Map<String, String> query = query("msg_signature", "0".repeat(40), "timestamp", TIMESTAMP, "nonce", NONCE);
        assertThatThrownBy(() -> wecom.handle(post(query, push.body()))).isInstanceOf(BadSignatureException.class);
    }

    @Test
    void expiredPushIsRefused() {
        clock.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> wecom.handle(encryptedPush(text("wecom-add-external-contact.xml"), CORP_ID, false)))
                .isInstanceOf(BadSignatureException.class);
    }

    @Test
    void pushForAnotherCorpIsRefused() {
        assertThatThrownBy(() -> wecom.handle(encryptedPush(text("wecom-add-external-contact.xml"), APP_ID, false)))
                .isInstanceOf(BadInputException.class);
    }

    @Test
    void doctypeBodyIsRefusedAsUnverifiableAndNotKept() {
        Map<String, String> query = query("msg_signature", "0".repeat(40), "timestamp", TIMESTAMP, "nonce", NONCE);
        assertThatThrownBy(() -> wecom.handle(post(query, resource("xxe.xml"))))
                .isInstanceOf(BadSignatureException.class)
                .hasMessage("encrypted push cannot be verified: XML with a DTD is refused");
    }
}
