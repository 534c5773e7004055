package io.omnihub.connectors.douyin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.douyin.DoudianApiStubs.api;
import static io.omnihub.connectors.douyin.DoudianApiStubs.json;
import static io.omnihub.connectors.douyin.DouyinFixtures.APP_KEY;
import static io.omnihub.connectors.douyin.DouyinFixtures.APP_SECRET;
import static io.omnihub.connectors.douyin.DouyinFixtures.NOW;
import static io.omnihub.connectors.douyin.DouyinFixtures.eventSign;
import static io.omnihub.connectors.douyin.DouyinFixtures.resource;
import static io.omnihub.connectors.douyin.DouyinFixtures.shopConfig;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testkit.WebhookRequests;
import io.omnihub.testkit.hostile.HostileChecks;
import io.omnihub.testkit.hostile.HostileCorpus;
import io.omnihub.testkit.hostile.HostileInput;
import io.omnihub.testkit.hostile.Observation;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus of {@code douyin/hostile/shop/}: 抖店 pushes (broken and duplicated JSON,
 * malformed messages among good ones, ids and amounts of the wrong kind, signature edge cases) and
 * open API answers (gateway pages, truncated and deep JSON, error envelopes with oversized or
 * personal text, odd token answers), each through the real connector: webhook handler, then the
 * normalizer, which looks the order up on WireMock standing in for 抖店.
 *
 * <p>Deliveries: {@code signed} (md5 {@code event-sign}), {@code signed-hmac}, signature variants;
 * {@code orderDetail}, {@code batchDecrypt}, {@code tokenCreate} serve the file as that API's answer
 * (with {@code :<status>}, as that HTTP status) while a good paid-order push is delivered.
 */
class DoudianHostileInputTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static List<HostileInput> corpus() {
        return HostileCorpus.load(DoudianHostileInputTest.class, "/douyin/hostile/shop");
    }

    @BeforeEach
    void stubTheShop() {
        wm.resetAll();
        wm.stubFor(api("token.create").willReturn(json("api/token-create.json")));
        wm.stubFor(api("order.orderDetail").willReturn(json("api/order-detail.json")));
        wm.stubFor(api("order.batchDecrypt").willReturn(json("api/batch-decrypt.json")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileInputHasTheOutcomeAUserExpects(HostileInput input) {
        String[] delivery = input.delivery().split(":");
        boolean apiAnswer = List.of("orderDetail", "batchDecrypt", "tokenCreate").contains(delivery[0]);
        Map<String, String> config = shopConfig();
        config.put(DouyinConfig.API_BASE_URL, wm.baseUrl());
        config.put(DouyinConfig.DECRYPT_PHONE, Boolean.toString(delivery[0].equals("batchDecrypt")));
        TestConnectorContext ctx = DouyinFixtures.context(config);
        ConnectorInstance instance = new DouyinConnector().open(ctx);
        WebhookRequest request;
        if (apiAnswer) {
            ResponseDefinitionBuilder answer = aResponse().withStatus(delivery.length > 1 ? Integer.parseInt(delivery[1]) : 200)
                    .withHeader("Content-Type", "application/json").withBody(input.bytes());
            String method = switch (delivery[0]) {
                case "orderDetail" -> "order.orderDetail";
                case "batchDecrypt" -> "order.batchDecrypt";
                default -> "token.create";
            };
            wm.stubFor(api(method).atPriority(1).willReturn(answer));
            request = push(resource("shop/push-101-paid.json"), "signed");
        } else {
            request = push(input.bytes(), delivery[0]);
        }

        HostileChecks.expect(input, () -> Observation.ofWebhook(instance.webhook().orElseThrow(), request,
                instance.normalizer(), ctx.connectorId(), ctx.instanceId()), List.of(APP_SECRET), ctx::logLines);
    }

    private static WebhookRequest push(byte[] body, String delivery) {
        String sign = eventSign(APP_KEY, body, APP_SECRET);
        return switch (delivery) {
            case "signed" -> signed(body, sign).build();
            case "signed-hmac" -> signed(body, DoudianSigner.signPush(DoudianSigner.SignMethod.HMAC_SHA256, APP_KEY,
                    APP_SECRET, body)).header("sign-method", "hmac-sha256").build();
            case "signed-no-app-id" -> WebhookRequests.post(body).header("event-sign", sign).receivedAt(NOW).build();
            case "unsigned" -> WebhookRequests.post(body).header("app-id", APP_KEY).receivedAt(NOW).build();
            case "forged" -> signed(body, eventSign(APP_KEY, body, "another-app-secret")).build();
            case "sig-upper" -> signed(body, sign.toUpperCase(Locale.ROOT)).build();
            case "sig-short" -> signed(body, sign.substring(2)).build();
            case "sig-nonhex" -> signed(body, "q" + sign.substring(1)).build();
            case "sig-empty" -> signed(body, "").build();
            case "sig-non-ascii" -> signed(body, "\u4e2d" + sign.substring(1)).build();
            case "other-app-id" -> WebhookRequests.post(body).header("app-id", "9999999999999999999")
                    .header("event-sign", sign).receivedAt(NOW).build();
            case "sign-method-unknown" -> signed(body, sign).header("sign-method", "sha1").build();
            case "sign-method-hmac-but-md5" -> signed(body, sign).header("sign-method", "hmac-sha256").build();
            case "get" -> new WebhookRequest("GET", Map.of(), signed(body, sign).build().headers(), body, NOW);
            default -> throw new IllegalArgumentException("unknown delivery " + delivery);
        };
    }

    private static WebhookRequests.Builder signed(byte[] body, String sign) {
        return WebhookRequests.post(body).header("Content-Type", "application/json").header("app-id", APP_KEY)
                .header("event-sign", sign).receivedAt(NOW);
    }
}
