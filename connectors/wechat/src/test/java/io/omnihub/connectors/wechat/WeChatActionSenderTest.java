package io.omnihub.connectors.wechat;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.wechat.WeChatApiStubs.ACCESS_TOKEN;
import static io.omnihub.connectors.wechat.WeChatApiStubs.error;
import static io.omnihub.connectors.wechat.WeChatApiStubs.json;
import static io.omnihub.connectors.wechat.WeChatApiStubs.mpApiConfig;
import static io.omnihub.connectors.wechat.WeChatApiStubs.stubToken;
import static io.omnihub.connectors.wechat.WeChatFixtures.APP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.testkit.TestConnectorContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeChatActionSenderTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String OPENID = "oia2TjuEGTNoeX76QEjQNrcURxG8";
    private static final Identity FOLLOWER = Identity.of(IdentityTypes.WECHAT_OPENID, OPENID, APP_ID);
    private static final String TEMPLATE_SEND = "/cgi-bin/message/template/send";

    private WeChatActionSender sender;

    @BeforeEach
    void setUp() {
        TestConnectorContext ctx = context(mpApiConfig(wm));
        WeChatConfig config = WeChatConfig.from(ctx.config());
        sender = new WeChatActionSender(config, new WeChatApiClient(ctx, config));
        stubToken(wm);
    }

    private static OutboundAction template(Identity recipient, Map<String, Object> payload) {
        return new OutboundAction("journey-42:step-3:cust-9", WeChatActionSender.TEMPLATE, recipient, payload);
    }

    @Test
    void templateMessageCarriesTheActionIdAsClientMsgId() {
        wm.stubFor(post(urlPathEqualTo(TEMPLATE_SEND)).withQueryParam("access_token", equalTo(ACCESS_TOKEN))
                .willReturn(json("api/template-send-ok.json")));

        ActionResult result = sender.send(template(FOLLOWER, Map.of(
                "template_id", "ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY",
                "url", "https://shop.example.com/orders/1001",
                "miniprogram", Map.of("appid", "wx7c9f3f2c1d0e5a4b", "pagepath", "pages/order?id=1001"),
                "data", Map.of("keyword1", Map.of("value", "订单已发货", "color", "#173177"), "keyword2", "顺丰 SF1234567890"))));

        assertThat(result.channelReference()).isEqualTo("200228332");
        wm.verify(1, postRequestedFor(urlPathEqualTo(TEMPLATE_SEND))
                .withQueryParam("access_token", equalTo(ACCESS_TOKEN))
                .withHeader("Content-Type", WireMock.containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"touser":"oia2TjuEGTNoeX76QEjQNrcURxG8",
                         "template_id":"ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY",
                         "url":"https://shop.example.com/orders/1001",
                         "miniprogram":{"appid":"wx7c9f3f2c1d0e5a4b","pagepath":"pages/order?id=1001"},
                         "client_msg_id":"journey-42:step-3:cust-9",
                         "data":{"keyword1":{"value":"订单已发货","color":"#173177"},
                                 "keyword2":{"value":"顺丰 SF1234567890"}}}
                        """)));
    }

    @Test
    void aLongActionIdGoesAsAFixedLengthHashOfIt() {
        wm.stubFor(post(urlPathEqualTo(TEMPLATE_SEND)).willReturn(json("api/template-send-ok.json")));
        String ruleActionId = "rule:" + "ab".repeat(32) + ":wechat:brand-oa:event-with-a-long-id-from-the-channel-1234567890:0";

        sender.send(new OutboundAction(ruleActionId, WeChatActionSender.TEMPLATE, FOLLOWER, Map.of("template_id", "T")));
        sender.send(new OutboundAction(ruleActionId, WeChatActionSender.TEMPLATE, FOLLOWER, Map.of("template_id", "T")));

        // the first 32 hex digits of sha256(ruleActionId), computed independently
        String expected = sha256Hex(ruleActionId).substring(0, 32);
        wm.verify(2, postRequestedFor(urlPathEqualTo(TEMPLATE_SEND))
                .withRequestBody(WireMock.matchingJsonPath("$.client_msg_id", equalTo(expected))));
        assertThat(WeChatActionSender.clientMsgId("x".repeat(64))).isEqualTo("x".repeat(64));
        assertThat(WeChatActionSender.clientMsgId("x".repeat(65))).hasSize(32).isEqualTo(sha256Hex("x".repeat(65)).substring(0, 32));
    }

    private static String sha256Hex(String text) {
        try {
            StringBuilder hex = new StringBuilder();
            for (byte b : java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void subscribeNotificationGoesToBizsend() {
        wm.stubFor(post(urlPathEqualTo("/cgi-bin/message/subscribe/bizsend")).willReturn(error(0, "ok")));

        ActionResult result = sender.send(new OutboundAction("a-1", WeChatActionSender.SUBSCRIBE, FOLLOWER, Map.of(
                "template_id", "TEMPLATE_ID", "page", "mp.weixin.qq.com",
                "data", Map.of("thing1", "积分到账", "time2", Map.of("value", "2019-12-25 09:42")))));

        assertThat(result.detail()).contains("subscribe");
        wm.verify(postRequestedFor(urlPathEqualTo("/cgi-bin/message/subscribe/bizsend"))
                .withRequestBody(equalToJson("""
                        {"touser":"oia2TjuEGTNoeX76QEjQNrcURxG8","template_id":"TEMPLATE_ID","page":"mp.weixin.qq.com",
                         "data":{"thing1":{"value":"积分到账"},"time2":{"value":"2019-12-25 09:42"}}}
                        """)));
    }

    @ParameterizedTest
    @ValueSource(ints = {43004, 43101, 40003})
    void recipientWeChatRefusesIsBadInput(int errcode) {
        wm.stubFor(post(urlPathEqualTo(TEMPLATE_SEND)).willReturn(error(errcode, "require subscribe")));

        assertThatThrownBy(() -> sender.send(template(FOLLOWER, Map.of("template_id", "T"))))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(String.valueOf(errcode))
                .hasMessageNotContaining(ACCESS_TOKEN);
    }

    @Test
    void minuteQuotaIsRateLimited() {
        wm.stubFor(post(urlPathEqualTo(TEMPLATE_SEND)).willReturn(error(45011, "api minute-quota reach limit")));

        assertThatThrownBy(() -> sender.send(template(FOLLOWER, Map.of("template_id", "T"))))
                .isInstanceOfSatisfying(RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60)));
    }

    @Test
    void recipientMustBeAnOpenidOfThisApp() {
        assertThatThrownBy(() -> sender.send(template(Identity.phone("13800138000"), Map.of("template_id", "T"))))
                .isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> sender.send(template(
                Identity.of(IdentityTypes.WECHAT_OPENID, OPENID, "wx0000000000000000"), Map.of("template_id", "T"))))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("wx0000000000000000");
        wm.verify(0, postRequestedFor(urlPathEqualTo(TEMPLATE_SEND)));
    }

    @Test
    void templateIdIsRequired() {
        assertThatThrownBy(() -> sender.send(template(FOLLOWER, Map.of("data", Map.of()))))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("template_id");
    }

    @Test
    void unknownKindIsBadInput() {
        assertThatThrownBy(() -> sender.send(new OutboundAction("a", "wechat.kf", FOLLOWER, Map.of("template_id", "T"))))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("wechat.kf");
        assertThat(sender.kinds()).containsExactlyInAnyOrder("wechat.template", "wechat.subscribe");
    }
}
