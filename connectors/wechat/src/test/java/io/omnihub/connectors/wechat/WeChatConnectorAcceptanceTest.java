package io.omnihub.connectors.wechat;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import io.omnihub.testkit.WebhookRequests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;

/**
 * The OmniHub acceptance suite against an Official Account in safe mode. The samples are sealed by
 * WxJava's {@link WxCryptUtil} (Tencent's sample code), standing in for WeChat's servers.
 *
 * <p>WeCom instances run the same suite in {@link WeComConnectorAcceptanceTest}.
 */
class WeChatConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    private static final String APP_ID = "wx5c2a8e41f7b09d36";
    private static final String APP_SECRET = "8f1b0c3e6a9d4f27b5c8e1a3d6f9b2c4";
    private static final String TOKEN = "omnihubAcceptanceToken";
    private static final String AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";

    /** Different channel events, each mapped by the normalizer. */
    private static final List<String> PUSHES = List.of("subscribe-qrscene.xml", "unsubscribe.xml", "scan.xml",
            "click.xml", "location.xml", "view.xml", "templatesendjobfinish.xml", "unknown-event.xml",
            "text-chinese.xml", "image.xml");

    @Override
    protected ChannelConnector connector() {
        return new WeChatConnector();
    }

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return Map.of("kind", "mp", "app-id", APP_ID, "app-secret", APP_SECRET, "token", TOKEN,
                "encoding-aes-key", AES_KEY, "api-base-url", channelBaseUrl);
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        channel.register(get(urlPathEqualTo("/cgi-bin/token"))
                .withQueryParam("grant_type", equalTo("client_credential"))
                .withQueryParam("appid", equalTo(APP_ID))
                .withQueryParam("secret", equalTo(APP_SECRET))
                .willReturn(okJson("{\"access_token\":\"81_kQ3pZ8yN0aAcceptanceToken\",\"expires_in\":7200}")));
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        return Map.of("kind", "mp", "app-id", APP_ID, "app-secret", "0000aaaa1111bbbb2222cccc3333dddd", "token", TOKEN,
                "encoding-aes-key", AES_KEY, "api-base-url", channelBaseUrl);
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        channel.register(get(urlPathEqualTo("/cgi-bin/token"))
                .willReturn(okJson("{\"errcode\":40125,\"errmsg\":\"invalid appsecret rid: 6650b2a0-0e5c7f1a-3b4d2c18\"}")));
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        return Set.of("app-secret", "token", "encoding-aes-key");
    }

    @Override
    protected Optional<Duration> replayTolerance() {
        return Optional.of(WeChatConfig.DEFAULT_TOLERANCE);
    }

    @Override
    protected List<WebhookRequest> signedWebhookSamples(Map<String, String> config, Instant now) {
        String timestamp = Long.toString(now.getEpochSecond());
        List<WebhookRequest> samples = new ArrayList<>();
        String handshakeNonce = "1514711492";
        samples.add(WebhookRequests.get()
                .query("signature", SHA1.gen(TOKEN, timestamp, handshakeNonce))
                .query("echostr", "6932460541289438917")
                .query("timestamp", timestamp)
                .query("nonce", handshakeNonce)
                .receivedAt(now)
                .build());
        WxCryptUtil wechat = new WxCryptUtil(TOKEN, AES_KEY, APP_ID);
        for (int i = 0; i < PUSHES.size(); i++) {
            String nonce = Integer.toString(1_283_000_000 + i * 7919);
            String encrypt = wechat.encrypt("r4nd0mPr3f1x" + String.format("%04d", i),
                    new String(WeChatFixtures.resource(PUSHES.get(i)), StandardCharsets.UTF_8));
            String body = "<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><Encrypt><![CDATA["
                    + encrypt + "]]></Encrypt></xml>";
            samples.add(WebhookRequests.post(body)
                    .query("signature", SHA1.gen(TOKEN, timestamp, nonce))
                    .query("timestamp", timestamp)
                    .query("nonce", nonce)
                    .query("openid", "oia2TjuEGTNoeX76QEjQNrcURxG8")
                    .query("encrypt_type", "aes")
                    .query("msg_signature", SHA1.gen(TOKEN, timestamp, nonce, encrypt))
                    .header("Content-Type", "text/xml")
                    .receivedAt(now)
                    .build());
        }
        return samples;
    }
}
