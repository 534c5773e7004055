package io.omnihub.connectors.wechat;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
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
 *
 * <p>The poll rules stay skipped: WeChat pushes, the connector does not poll. The action rules run
 * for both kinds, except that {@code action-idempotency-key} does not apply to {@code wechat.subscribe}
 * ({@link #notApplicable()}): WeChat's {@code subscribe/bizsend} takes no de-duplication key
 * (PROTOCOLS §1.6: {@code touser, template_id, page, miniprogram, data}), so no request can carry the
 * action id for WeChat to act on. The rule still checks the template message, which carries it as
 * {@code client_msg_id}.
 */
class WeChatConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    private static final String APP_ID = "wx5c2a8e41f7b09d36";
    private static final String APP_SECRET = "8f1b0c3e6a9d4f27b5c8e1a3d6f9b2c4";
    private static final String TOKEN = "omnihubAcceptanceToken";
    private static final String AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
    private static final String ACCESS_TOKEN = "81_kQ3pZ8yN0aAcceptanceToken";
    /** A follower of the account: an openid of {@link #APP_ID}. */
    private static final String OPENID = "oia2TjuEGTNoeX76QEjQNrcURxG8";
    private static final String TEMPLATE_SEND = "/cgi-bin/message/template/send";
    private static final String SUBSCRIBE_SEND = "/cgi-bin/message/subscribe/bizsend";

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
                .willReturn(okJson("{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":7200}")));
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

    @Override
    protected Optional<WebhookRequest> signedWebhook(Map<String, String> config, byte[] body, Instant now) {
        String timestamp = Long.toString(now.getEpochSecond());
        String nonce = "1283999999";
        String encrypt = new WxCryptUtil(TOKEN, AES_KEY, APP_ID).encrypt("r4nd0mPr3f1x9999",
                new String(body, StandardCharsets.UTF_8));
        String envelope = "<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><Encrypt><![CDATA["
                + encrypt + "]]></Encrypt></xml>";
        return Optional.of(WebhookRequests.post(envelope)
                .query("signature", SHA1.gen(TOKEN, timestamp, nonce))
                .query("timestamp", timestamp)
                .query("nonce", nonce)
                .query("encrypt_type", "aes")
                .query("msg_signature", SHA1.gen(TOKEN, timestamp, nonce, encrypt))
                .receivedAt(now)
                .build());
    }

    /**
     * {@code action-idempotency-key} for template messages only: WeChat's {@code bizsend} has no
     * de-duplication key (see the class comment), which is a limit of the channel, not of the sender.
     */
    @Override
    protected Map<String, String> notApplicable() {
        return Map.of(forActionKind("action-idempotency-key", WeChatActionSender.SUBSCRIBE), "WeChat's"
                + " subscribe/bizsend takes no de-duplication key (PROTOCOLS §1.6: touser, template_id, page, miniprogram,"
                + " data), so no request can carry the action id for WeChat to act on");
    }

    /** A template message and a subscribe notification to a follower. */
    @Override
    protected List<OutboundAction> actionSamples() {
        Identity follower = Identity.of(IdentityTypes.WECHAT_OPENID, OPENID, APP_ID);
        OutboundAction template = new OutboundAction("journey-42:step-3:cust-9", WeChatActionSender.TEMPLATE, follower,
                Map.of("template_id", "ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY",
                        "url", "https://shop.example.com/orders/1001",
                        "data", Map.of("keyword1", "订单已发货", "keyword2", "顺丰 SF1234567890")));
        OutboundAction subscribe = new OutboundAction("journey-42:step-4:cust-9", WeChatActionSender.SUBSCRIBE, follower,
                Map.of("template_id", "bDmywsp2oEHjwAadTGKkUHpC0RgBVPvfAoijzKVsYxE",
                        "page", "pages/order?id=1001",
                        "data", Map.of("thing1", "订单已发货", "time2", "2025-05-20 10:00")));
        return List.of(template, subscribe);
    }

    /**
     * WeChat answers its API errors with HTTP 200 and an {@code errcode} (PROTOCOLS §1.4), so each
     * answer is WeChat's own, on both send endpoints, after the access token (fetched again after
     * the kit resets the server, while the instance still holds it in its token cache):
     * <ul>
     *   <li>{@code ACCEPTED}: {@code errcode 0}, with the {@code msgid} for a template message;</li>
     *   <li>{@code SERVER_ERROR}: {@code -1} "system error", WeChat's "busy, try later";</li>
     *   <li>{@code RATE_LIMITED}: {@code 45009}, the daily API quota (WeChat states no wait: the quota
     *       resets at midnight Beijing time);</li>
     *   <li>{@code REJECTED}: {@code 43004} "require subscribe" for the template message (the
     *       recipient no longer follows), {@code 43101} "user refuse to accept the msg" for the
     *       subscribe notification.</li>
     * </ul>
     */
    @Override
    protected void stubActionAnswer(WireMock channel, ActionAnswer answer) {
        stubValidCredentials(channel);
        for (String path : List.of(TEMPLATE_SEND, SUBSCRIBE_SEND)) {
            String errcode = switch (answer) {
                case ACCEPTED -> path.equals(TEMPLATE_SEND) ? WeChatFixtures.text("api/template-send-ok.json")
                        : "{\"errcode\":0,\"errmsg\":\"ok\"}";
                case SERVER_ERROR -> "{\"errcode\":-1,\"errmsg\":\"system error rid: 6650b2a0-1a2b3c4d-5e6f7a8b\"}";
                case RATE_LIMITED -> "{\"errcode\":45009,\"errmsg\":\"reach max api daily quota limit rid: "
                        + "6650b2a0-49187ba1-7a8cf8a7\"}";
                case REJECTED -> path.equals(TEMPLATE_SEND)
                        ? "{\"errcode\":43004,\"errmsg\":\"require subscribe rid: 6650b2a0-2c3d4e5f-6a7b8c9d\"}"
                        : "{\"errcode\":43101,\"errmsg\":\"user refuse to accept the msg rid: 6650b2a0-3d4e5f6a-7b8c9d0e\"}";
            };
            channel.register(post(urlPathEqualTo(path))
                    .withQueryParam("access_token", equalTo(ACCESS_TOKEN))
                    .withHeader("Content-Type", containing("application/json"))
                    .withRequestBody(matchingJsonPath("$.touser", equalTo(OPENID)))
                    .withRequestBody(matchingJsonPath("$.template_id"))
                    .willReturn(okJson(errcode)));
        }
    }
}
