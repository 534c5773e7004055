package io.omnihub.connectors.douyin;

import static io.omnihub.connectors.douyin.DouyinFixtures.APP_KEY;
import static io.omnihub.connectors.douyin.DouyinFixtures.APP_SECRET;
import static io.omnihub.connectors.douyin.DouyinFixtures.CLIENT_SECRET;
import static io.omnihub.connectors.douyin.DouyinFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.http.HttpResponse;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testkit.WebhookRequests;
import io.omnihub.testkit.hostile.HostileChecks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fuzz tests of the Douyin connector: the Open Platform and 抖店 webhook handlers and normalizers
 * end to end, their signers, the {@code param_json} writer and the 抖店 open API client's reading of
 * answers. Each refuses what it cannot take with the SDK's typed errors only, with a short message
 * holding no secret; anything else is a finding. See docs/fuzzing.md for running them longer.
 */
class DouyinFuzzTest {

    private static final List<String> SECRETS = List.of(CLIENT_SECRET, APP_SECRET);
    private static final byte[] ORDER_DETAIL = DouyinFixtures.resource("api/order-detail.json");
    private static final byte[] TOKEN = DouyinFixtures.resource("api/token-create.json");

    /** Any body, correctly signed, pushed to an Open Platform instance: accepted and normalized, or refused. */
    @FuzzTest
    void openPushIsHandledOrRefused(byte[] body) {
        TestConnectorContext ctx = DouyinFixtures.context(DouyinFixtures.openConfig());
        ConnectorInstance instance = new DouyinConnector().open(ctx);
        WebhookRequest request = WebhookRequests.post(body)
                .header(DouyinSignature.HEADER, DouyinSignature.sign(CLIENT_SECRET, body)).header("Msg-Id", "fuzz")
                .receivedAt(NOW).build();
        HostileChecks.containedWebhook(instance, request, SECRETS);
    }

    /**
     * Any body, correctly signed, pushed to a 抖店 instance whose open API answers every lookup with
     * a sample order: accepted and normalized, or refused.
     */
    @FuzzTest
    void shopPushIsHandledOrRefused(byte[] body) {
        ConnectorInstance instance = shopInstance(ORDER_DETAIL);
        WebhookRequest request = WebhookRequests.post(body).header("app-id", APP_KEY)
                .header("event-sign", DoudianSigner.signPush(DoudianSigner.SignMethod.MD5, APP_KEY, APP_SECRET, body))
                .receivedAt(NOW).build();
        HostileChecks.containedWebhook(instance, request, SECRETS);
    }

    /** Any answer of 抖店's open API to the order lookup of a good push: an event, or a typed error. */
    @FuzzTest
    void shopOrderLookupTakesAnyAnswer(byte[] answer) {
        ConnectorInstance instance = shopInstance(answer);
        HostileChecks.containedWebhook(instance, DouyinFixtures.signedShopPush(DouyinFixtures.resource("shop/push-101-paid.json")),
                SECRETS, answer);
    }

    /** The push signatures: deterministic lower-case hex, and only they (in any case) match. */
    @FuzzTest
    void pushSignaturesMatchOnlyThemselves(FuzzedDataProvider data) {
        // The config schema requires a secret of at least one character.
        String secret = "s" + data.consumeString(64);
        String presented = data.consumeString(80);
        byte[] body = data.consumeRemainingAsBytes();
        String douyin = DouyinSignature.sign(secret, body);
        assertThat(douyin).matches("[0-9a-f]{40}");
        assertThat(DouyinSignature.matches(douyin.toUpperCase(Locale.ROOT), secret, body)).isTrue();
        assertThat(DouyinSignature.matches(presented, secret, body))
                .isEqualTo(presented.trim().toLowerCase(Locale.ROOT).equals(douyin));
        for (DoudianSigner.SignMethod method : DoudianSigner.SignMethod.values()) {
            String doudian = DoudianSigner.signPush(method, APP_KEY, secret, body);
            assertThat(doudian).matches(method == DoudianSigner.SignMethod.MD5 ? "[0-9a-f]{32}" : "[0-9a-f]{64}");
            assertThat(DoudianSigner.matches(presented, doudian)).isEqualTo(presented.trim().toLowerCase(Locale.ROOT).equals(doudian));
        }
        assertThat(DoudianSigner.SignMethod.of(presented)).isNotNull();
    }

    /**
     * The {@code param_json} of any JSON: compact JSON that reads back as the same tree, so what is
     * signed is what is sent.
     */
    @FuzzTest
    void paramJsonReadsBackAsTheSameTree(byte[] json) throws IOException {
        JsonNode params;
        try {
            params = DouyinJson.read(json);
        } catch (IOException notJson) {
            return;
        }
        if (hasDecimal(params)) {
            // The connector signs only parameters it builds itself: ids, strings, integers.
            return;
        }
        String written = DoudianParamJson.write(params);
        JsonNode back = DouyinJson.read(written.getBytes(StandardCharsets.UTF_8));
        assertThat(back).isEqualTo(params.isNull() ? DouyinJson.MAPPER.createObjectNode() : params);
        String sign = DoudianSigner.signRequest(DoudianSigner.SignMethod.HMAC_SHA256, APP_KEY, APP_SECRET,
                "order.orderDetail", "1700000000", written);
        assertThat(sign).matches("[0-9a-f]{64}");
    }

    private static boolean hasDecimal(JsonNode node) {
        if (node.isNumber() && !node.isIntegralNumber()) {
            return true;
        }
        for (JsonNode child : node) {
            if (hasDecimal(child)) {
                return true;
            }
        }
        return false;
    }

    private static ConnectorInstance shopInstance(byte[] orderDetailAnswer) {
        Map<String, String> config = DouyinFixtures.shopConfig();
        config.put(DouyinConfig.DECRYPT_PHONE, "false");
        TestConnectorContext ctx = DouyinFixtures.context(config).withHttp(request ->
                new HttpResponse(200, Map.of("Content-Type", List.of("application/json")),
                        request.uri().getPath().endsWith("/token/create") ? TOKEN : orderDetailAnswer));
        return new DouyinConnector().open(ctx);
    }
}
