package io.omnihub.connectors.wechat;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorInstance;
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
import org.junit.jupiter.api.Test;

/**
 * The OmniHub acceptance suite against a WeCom (企业微信) self-built app receiving customer-contact
 * callbacks. Everything WeCom sends is encrypted and signed with {@code msg_signature} only (no
 * plain {@code signature}), the URL-verification echostr included. The samples are sealed by WxJava's
 * {@link WxCryptUtil} (Tencent's sample code; WxJava's {@code WxCpCryptUtil} is the same with the
 * corpid as receiveid), standing in for WeCom's servers.
 *
 * <p>The kit's default forgery is kept: it corrupts {@code msg_signature}, the only signature WeCom
 * sends, on the handshake and on every push alike.
 *
 * <p>A WeCom instance sends {@code wecom.customer-message} actions through
 * {@code externalcontact/add_msg_template}; the action rules run against it, except
 * {@code action-idempotency-key}: that API takes no de-duplication key (its fields are
 * {@code chat_type, external_userid, sender, text, attachments}), so no request can carry the action
 * id for WeCom to act on ({@link WeComActionSenderTest} shows how a repeat is answered from the
 * connector's memo instead). The poll rules are skipped by the kit: neither the descriptor nor the
 * instance polls (WeCom pushes).
 */
class WeComConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    private static final String CORP_ID = "wwb67b98c36d27b658";
    private static final String CORP_SECRET = "dkm8UZiJ_YBBt7Fk1A_g6ElmENeJKvT50SQOIoSs3jB";
    private static final String TOKEN = "wecomAcceptanceT0ken";
    private static final String AES_KEY = "N1k2tEb9fIIcykcQWYg6nQ1G8R2egDCGaPchcBNCS6O";
    private static final String AGENT_ID = "1000002";

    /**
     * {@code change_external_contact} pushes: the WxJava add event verbatim (PROTOCOLS §2), an edit
     * and a delete of the same contact. Each maps to a different canonical type.
     */
    private static final List<String> PUSHES = List.of("wecom-add-external-contact.xml",
            "wecom-edit-external-contact.xml", "wecom-del-external-contact.xml");

    @Override
    protected ChannelConnector connector() {
        return new WeChatConnector();
    }

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return Map.of("kind", "wecom", "app-id", CORP_ID, "app-secret", CORP_SECRET, "token", TOKEN,
                "encoding-aes-key", AES_KEY, "api-base-url", channelBaseUrl);
    }

    /** {@code GET /cgi-bin/gettoken?corpid=&corpsecret=} answered as WeCom does, errcode 0 included. */
    @Override
    protected void stubValidCredentials(WireMock channel) {
        channel.register(get(urlPathEqualTo("/cgi-bin/gettoken"))
                .withQueryParam("corpid", equalTo(CORP_ID))
                .withQueryParam("corpsecret", equalTo(CORP_SECRET))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":"
                        + "\"hW3aVxJk9Tq2LmN5pR8sY1cF4dG7bE0uZ6iO3oXkMnQ-wT5yU8rA2sD4fG6hJ9kL1zX3cV5bN7mQ0wE2rT4yU6iO8p\","
                        + "\"expires_in\":7200}")));
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        return Map.of("kind", "wecom", "app-id", CORP_ID, "app-secret", "Zq0000aaaa1111bbbb2222cccc3333dddd4444eeeeF",
                "token", TOKEN, "encoding-aes-key", AES_KEY, "api-base-url", channelBaseUrl);
    }

    /** WeCom answers a wrong corpsecret with HTTP 200 and errcode 40001 "invalid credential". */
    @Override
    protected void stubBadCredentials(WireMock channel) {
        channel.register(get(urlPathEqualTo("/cgi-bin/gettoken"))
                .willReturn(okJson("{\"errcode\":40001,\"errmsg\":\"invalid credential, hint: "
                        + "[1747706400_52_6f0c3a9e1b7d24c8e5f1a3b6d9c2e4f7], from ip: 203.0.113.7, "
                        + "more info at https://open.work.weixin.qq.com/devtool/query?e=40001\"}")));
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        return Set.of("app-secret", "token", "encoding-aes-key");
    }

    /** WeCom's add_msg_template has no de-duplication key (see the class comment). */
    @Override
    protected Map<String, String> notApplicable() {
        return Map.of(forActionKind("action-idempotency-key", WeComActionSender.CUSTOMER_MESSAGE),
                "WeCom's add_msg_template takes no de-duplication key (chat_type, external_userid, sender, text,"
                        + " attachments): a repeat is answered from the connector's memo, see WeComActionSenderTest");
    }

    @Override
    protected List<OutboundAction> actionSamples() {
        return List.of(new OutboundAction("enr-42:step-4", WeComActionSender.CUSTOMER_MESSAGE,
                Identity.of(IdentityTypes.WECOM_EXTERNAL_USERID, "woAJ2GCAAAXtWyujaWJHDDGi0mACH71w", CORP_ID),
                Map.of("sender", "zhangsan", "text", "李先生您好，您预约的跑鞋已到店。")));
    }

    /** WeCom's answers: errcode -1 busy, 45009 over the API quota, 40096 invalid external userid. */
    @Override
    protected void stubActionAnswer(WireMock channel, ActionAnswer answer) {
        stubValidCredentials(channel);
        String json = switch (answer) {
            case ACCEPTED -> "{\"errcode\":0,\"errmsg\":\"ok\",\"fail_list\":[],\"msgid\":\"msgGCAAAXtWyujaWJHDDGi0mAAAA\"}";
            case SERVER_ERROR -> "{\"errcode\":-1,\"errmsg\":\"system busy\"}";
            case RATE_LIMITED -> "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}";
            case REJECTED -> "{\"errcode\":40096,\"errmsg\":\"invalid external userid\",\"fail_list\":[]}";
        };
        channel.register(post(urlPathEqualTo(WeComActionSender.ADD_MSG_TEMPLATE)).willReturn(okJson(json)));
    }

    @Override
    protected Optional<Duration> replayTolerance() {
        return Optional.of(WeChatConfig.DEFAULT_TOLERANCE);
    }

    @Override
    protected List<WebhookRequest> signedWebhookSamples(Map<String, String> config, Instant now) {
        String timestamp = Long.toString(now.getEpochSecond());
        WxCryptUtil wecom = new WxCryptUtil(TOKEN, AES_KEY, CORP_ID);
        List<WebhookRequest> samples = new ArrayList<>();

        // URL verification: GET ?msg_signature&timestamp&nonce&echostr, the echostr encrypted.
        String handshakeNonce = "1372623149";
        String echostr = wecom.encrypt("h4ndsh4k3R4nd0m1", "5927782489442352469");
        samples.add(WebhookRequests.get()
                .query("msg_signature", SHA1.gen(TOKEN, timestamp, handshakeNonce, echostr))
                .query("timestamp", timestamp)
                .query("nonce", handshakeNonce)
                .query("echostr", echostr)
                .receivedAt(now)
                .build());

        for (int i = 0; i < PUSHES.size(); i++) {
            String nonce = Integer.toString(1_597_000_000 + i * 7919);
            String encrypt = wecom.encrypt("w3c0mR4nd0m" + String.format("%05d", i),
                    new String(WeChatFixtures.resource(PUSHES.get(i)), StandardCharsets.UTF_8));
            String body = "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><AgentID><![CDATA["
                    + AGENT_ID + "]]></AgentID><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>";
            samples.add(WebhookRequests.post(body)
                    .query("msg_signature", SHA1.gen(TOKEN, timestamp, nonce, encrypt))
                    .query("timestamp", timestamp)
                    .query("nonce", nonce)
                    .header("Content-Type", "text/xml")
                    .receivedAt(now)
                    .build());
        }
        return samples;
    }

    @Override
    protected Optional<WebhookRequest> signedWebhook(Map<String, String> config, byte[] body, Instant now) {
        String timestamp = Long.toString(now.getEpochSecond());
        String nonce = "1597999999";
        String encrypt = new WxCryptUtil(TOKEN, AES_KEY, CORP_ID).encrypt("w3c0mR4nd0m99999",
                new String(body, StandardCharsets.UTF_8));
        String envelope = "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><AgentID><![CDATA["
                + AGENT_ID + "]]></AgentID><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>";
        return Optional.of(WebhookRequests.post(envelope)
                .query("msg_signature", SHA1.gen(TOKEN, timestamp, nonce, encrypt))
                .query("timestamp", timestamp)
                .query("nonce", nonce)
                .receivedAt(now)
                .build());
    }

    @Test
    void wecomInstanceOffersWebhookEnrichmentAndCustomerMessages() {
        try (ConnectorInstance instance = openInstance(validConfig(channelBaseUrl()))) {
            assertThat(instance.webhook()).isPresent();
            assertThat(instance.enricher()).isPresent();
            assertThat(instance.actions().orElseThrow().kinds()).containsExactly(WeComActionSender.CUSTOMER_MESSAGE);
        }
    }

    @Test
    void handshakeAnswersTheDecryptedEchostr() {
        Map<String, String> config = validConfig(channelBaseUrl());
        WebhookRequest handshake = signedWebhookSamples(config, now()).get(0);
        try (ConnectorInstance instance = openInstance(config)) {
            assertThat(instance.webhook().orElseThrow().handle(handshake).reply().bodyAsUtf8())
                    .isEqualTo("5927782489442352469");
        }
    }
}
