package io.omnihub.connectors.wechat;

import static io.omnihub.connectors.wechat.WeChatFixtures.AES_KEY;
import static io.omnihub.connectors.wechat.WeChatFixtures.APP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.CORP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.TOKEN;
import static io.omnihub.connectors.wechat.WeChatFixtures.config;
import static io.omnihub.connectors.wechat.WeChatFixtures.mpSafeModeConfig;
import static io.omnihub.connectors.wechat.WeChatFixtures.query;
import static io.omnihub.connectors.wechat.WeChatFixtures.text;
import static io.omnihub.connectors.wechat.WeChatFixtures.wecomConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import io.omnihub.testkit.InMemoryTokenCache;
import io.omnihub.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interoperability with WxJava's {@link WxCryptUtil} (Tencent's sample code): an independent
 * implementation standing in for WeChat's servers in both directions.
 */
class WxJavaInteropTest {

    /** WxJava stamps with the wall clock, so the hub's clock must be now. */
    private final MutableClock clock = new MutableClock(Instant.now());

    private WeChatWebhookHandler handler(Map<String, String> config) {
        return new WeChatWebhookHandler(config(config), clock, new InMemoryTokenCache(clock));
    }

    private static WebhookRequest post(Map<String, String> query, String body) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        query.forEach((name, value) -> multi.put(name, List.of(value)));
        return new WebhookRequest("POST", multi, Map.of(), body.getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text.xml", "text-chinese.xml", "subscribe-qrscene.xml", "location.xml"})
    void whatWxJavaEncryptsOurHandlerAccepts(String file) {
        String message = text(file);
        WxCryptUtil wechat = new WxCryptUtil(TOKEN, AES_KEY, APP_ID);
        WxCryptUtil.EncryptContext sealed = wechat.encryptContext(message);
        Map<String, String> query = query(
                "signature", SHA1.gen(TOKEN, sealed.getTimeStamp(), sealed.getNonce()),
                "timestamp", sealed.getTimeStamp(), "nonce", sealed.getNonce(),
                "openid", "oia2TjuEGTNoeX76QEjQNrcURxG8", "encrypt_type", "aes",
                "msg_signature", sealed.getSignature());
        String body = "<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><Encrypt><![CDATA["
                + sealed.getEncrypt() + "]]></Encrypt></xml>";

        WebhookResult result = handler(mpSafeModeConfig()).handle(post(query, body));

        assertThat(result.reply().bodyAsUtf8()).isEqualTo("success");
        assertThat(result.records()).singleElement()
                .satisfies(record -> assertThat(record.payloadAsUtf8()).isEqualTo(message));
    }

    @Test
    void whatWxJavaEncryptsForAnotherAppWeRefuseThoughWxJavaWouldNot() {
        WxCryptUtil otherApp = new WxCryptUtil(TOKEN, AES_KEY, "wx0000000000000000");
        WxCryptUtil.EncryptContext sealed = otherApp.encryptContext(text("text.xml"));
        Map<String, String> query = query(
                "signature", SHA1.gen(TOKEN, sealed.getTimeStamp(), sealed.getNonce()),
                "timestamp", sealed.getTimeStamp(), "nonce", sealed.getNonce(), "encrypt_type", "aes",
                "msg_signature", sealed.getSignature());
        String body = "<xml><Encrypt><![CDATA[" + sealed.getEncrypt() + "]]></Encrypt></xml>";

        // WxJava itself skips the appid check and would decrypt this:
        assertThat(new WxCryptUtil(TOKEN, AES_KEY, APP_ID).decrypt(sealed.getEncrypt())).isEqualTo(text("text.xml"));
        assertThatThrownBy(() -> handler(mpSafeModeConfig()).handle(post(query, body)))
                .isInstanceOf(BadInputException.class);
    }

    @Test
    void repliesWeEncryptWxJavaDecrypts() {
        String reply = "<xml><ToUserName><![CDATA[oia2TjuEGTNoeX76QEjQNrcURxG8]]></ToUserName>"
                + "<FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1700000000</CreateTime>"
                + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[感谢关注！积分已到账 🎁]]></Content></xml>";
        String replyXml = new WeChatCrypto(AES_KEY, APP_ID).encryptedReply(reply, TOKEN, "1700000000", "k3J9xQ");
        WeChatXml parsed = SafeXml.parse(replyXml.getBytes(StandardCharsets.UTF_8));

        String decrypted = new WxCryptUtil(TOKEN, AES_KEY, APP_ID)
                .decryptXml(parsed.require("MsgSignature"), parsed.require("TimeStamp"), parsed.require("Nonce"), replyXml);

        assertThat(decrypted).isEqualTo(reply);
    }

    @Test
    void wecomHandshakeSealedByWxJavaIsAnswered() {
        WxCryptUtil wecom = new WxCryptUtil(TOKEN, AES_KEY, CORP_ID);
        WxCryptUtil.EncryptContext sealed = wecom.encryptContext("5927782489442352469");
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("msg_signature", List.of(sealed.getSignature()));
        query.put("timestamp", List.of(sealed.getTimeStamp()));
        query.put("nonce", List.of(sealed.getNonce()));
        query.put("echostr", List.of(sealed.getEncrypt()));

        WebhookResult result = handler(wecomConfig())
                .handle(new WebhookRequest("GET", query, Map.of(), new byte[0], Instant.now()));

        assertThat(result.reply().bodyAsUtf8()).isEqualTo("5927782489442352469");
    }

    @Test
    void wecomPushSealedByWxJavaIsRecorded() {
        String message = text("wecom-add-external-contact.xml");
        WxCryptUtil.EncryptContext sealed = new WxCryptUtil(TOKEN, AES_KEY, CORP_ID).encryptContext(message);
        Map<String, String> query = query("msg_signature", sealed.getSignature(),
                "timestamp", sealed.getTimeStamp(), "nonce", sealed.getNonce());
        String body = "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><Encrypt><![CDATA["
                + sealed.getEncrypt() + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";

        WebhookResult result = handler(wecomConfig()).handle(post(query, body));

        assertThat(result.records()).singleElement()
                .satisfies(record -> assertThat(record.payloadAsUtf8()).isEqualTo(message));
    }

    @Test
    void ourSignatureAgreesWithWxJavaSha1() {
        assertThat(WeChatSignature.sign("token", "1700000000", "nonce", "Zm9v+/=="))
                .isEqualTo(SHA1.gen("token", "1700000000", "nonce", "Zm9v+/=="));
        assertThat(WeChatSignature.sign(TOKEN, "1409304348", "xxxxxx")).isEqualTo(SHA1.gen(TOKEN, "1409304348", "xxxxxx"));
    }
}
