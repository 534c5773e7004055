package io.omnihub.connectors.douyin;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.omnihub.connectors.douyin.DoudianApiStubs.ACCESS_TOKEN;
import static io.omnihub.connectors.douyin.DoudianApiStubs.batchDecrypt;
import static io.omnihub.connectors.douyin.DoudianApiStubs.error;
import static io.omnihub.connectors.douyin.DoudianApiStubs.json;
import static io.omnihub.connectors.douyin.DoudianApiStubs.orderDetail;
import static io.omnihub.connectors.douyin.DoudianApiStubs.tokenCreate;
import static io.omnihub.connectors.douyin.DouyinFixtures.APP_KEY;
import static io.omnihub.connectors.douyin.DouyinFixtures.APP_SECRET;
import static io.omnihub.connectors.douyin.DouyinFixtures.SHOP_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import io.omnihub.testkit.WebhookRequests;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OmniHub acceptance suite against a 抖店 shop (kind {@code shop}): pushes signed with
 * event-sign, and a WireMock 抖店 open API that checks every request's HMAC signature, answering
 * token.create, order.orderDetail and order.batchDecrypt for the normalizer's buyer lookups.
 *
 * <p>The signed stubs use a Java request matcher, so they go to the in-process server through
 * {@link #channel()} rather than through the remote client the hooks receive.
 */
class DoudianConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    /** One message each, all about the sample order; the first is PROTOCOLS §4's vector push. */
    private static final List<String> MESSAGES = List.of("msg-100-created.json", "msg-102-shipped.json",
            "msg-103-completed.json", "msg-104-logistics.json", "msg-105-address.json", "msg-106-cancelled.json",
            "msg-200-aftersale.json", "msg-201-refund-agreed.json", "msg-206-refunded.json", "msg-207-closed.json");

    @Override
    protected ChannelConnector connector() {
        return new DouyinConnector();
    }

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return Map.of("kind", "shop", "app-key", APP_KEY, "app-secret", APP_SECRET, "shop-id", SHOP_ID,
                "api-base-url", channelBaseUrl);
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        channel().stubFor(tokenCreate().willReturn(json("api/token-create.json")));
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        return Map.of("kind", "shop", "app-key", APP_KEY, "app-secret", "wrong-app-secret-0000", "shop-id", SHOP_ID,
                "api-base-url", channelBaseUrl);
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        channel.register(post(urlPathEqualTo("/token/create"))
                .willReturn(error(40003, "非法的参数", "isv.signature-invalid", "签名校验失败")));
    }

    @Override
    protected void stubNormalizerLookups(WireMock channel) {
        channel().stubFor(tokenCreate().willReturn(json("api/token-create.json")));
        channel().stubFor(orderDetail(ACCESS_TOKEN).willReturn(json("api/order-detail.json")));
        channel().stubFor(batchDecrypt(ACCESS_TOKEN).willReturn(json("api/batch-decrypt.json")));
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        return Set.of("app-secret");
    }

    @Override
    protected List<WebhookRequest> signedWebhookSamples(Map<String, String> config, Instant now) {
        List<WebhookRequest> samples = new ArrayList<>();
        samples.add(WebhookRequests.post(DouyinFixtures.resource("shop/push-101-paid.json"))
                .header("Content-Type", "application/json")
                .header("app-id", APP_KEY)
                .header("event-sign", "6784c8c4b3d1beb278df5d4bef201b4e")
                .receivedAt(now)
                .build());
        for (int i = 0; i < MESSAGES.size(); i++) {
            byte[] body = ("[" + DouyinFixtures.text("shop/" + MESSAGES.get(i)) + "]").getBytes(StandardCharsets.UTF_8);
            WebhookRequests.Builder push = WebhookRequests.post(body)
                    .header("Content-Type", "application/json")
                    .header("app-id", APP_KEY)
                    .receivedAt(now);
            if (i % 3 == 1) {
                // 抖店's HMAC variant, selected by the sign-method header.
                String signed = APP_KEY + new String(body, StandardCharsets.UTF_8) + config.get("app-secret");
                push.header("sign-method", "hmac-sha256")
                        .header("event-sign", DoudianApiStubs.hmacSha256Hex(config.get("app-secret"), signed));
            } else {
                push.header("event-sign", DouyinFixtures.eventSign(APP_KEY, body, config.get("app-secret")));
            }
            samples.add(push.build());
        }
        return samples;
    }

    @Override
    protected Optional<WebhookRequest> signedWebhook(Map<String, String> config, byte[] body, Instant now) {
        return Optional.of(WebhookRequests.post(body)
                .header("Content-Type", "application/json")
                .header("app-id", APP_KEY)
                .header("event-sign", DouyinFixtures.eventSign(APP_KEY, body, config.get("app-secret")))
                .receivedAt(now)
                .build());
    }

    @Test
    void checkNamesTheShopOrWhatWasRejected() {
        stubValidCredentials(channel().getRuntimeInfo().getWireMock());
        try (ConnectorInstance instance = openInstance(validConfig(channelBaseUrl()))) {
            assertThat(instance.check()).isEqualTo(CheckResult.ok("抖店 issued an access token for shop 12345 (跑者之家旗舰店)"));
        }
        channel().resetAll();
        stubBadCredentials(channel().getRuntimeInfo().getWireMock());
        try (ConnectorInstance instance = openInstance(badCredentialsConfig(channelBaseUrl()))) {
            assertThat(instance.check()).isEqualTo(CheckResult.failed("抖店 rejected the app-key/app-secret: token.create "
                    + "answered 40003 非法的参数 (isv.signature-invalid 签名校验失败)"));
        }
    }

    @Test
    void checkReportsAnUnreachableApiWithoutThrowing() {
        Map<String, String> config = new java.util.HashMap<>(validConfig(channelBaseUrl()));
        config.put("api-base-url", DouyinFixtures.deadBaseUrl());
        try (ConnectorInstance instance = openInstance(config)) {
            CheckResult result = instance.check();
            assertThat(result.ok()).isFalse();
            assertThat(result.message()).startsWith("抖店 API unreachable");
        }
    }
}
