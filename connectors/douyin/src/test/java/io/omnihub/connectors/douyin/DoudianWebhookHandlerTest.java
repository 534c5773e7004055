package io.omnihub.connectors.douyin;

import static io.omnihub.connectors.douyin.DouyinFixtures.APP_KEY;
import static io.omnihub.connectors.douyin.DouyinFixtures.APP_SECRET;
import static io.omnihub.connectors.douyin.DouyinFixtures.NOW;
import static io.omnihub.connectors.douyin.DouyinFixtures.SHOP_ID;
import static io.omnihub.connectors.douyin.DouyinFixtures.config;
import static io.omnihub.connectors.douyin.DouyinFixtures.eventSign;
import static io.omnihub.connectors.douyin.DouyinFixtures.post;
import static io.omnihub.connectors.douyin.DouyinFixtures.resource;
import static io.omnihub.connectors.douyin.DouyinFixtures.shopConfig;
import static io.omnihub.connectors.douyin.DouyinFixtures.signedShopPush;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DoudianWebhookHandlerTest {

    private final DoudianWebhookHandler handler = new DoudianWebhookHandler(config(shopConfig()));

    @Test
    void protocolVectorPushIsAcceptedAndAnsweredSuccess() {
        WebhookRequest push = post(resource("shop/push-101-paid.json"),
                "app-id", APP_KEY, "event-sign", "6784c8c4b3d1beb278df5d4bef201b4e");

        WebhookResult result = handler.handle(push);

        assertThat(result.reply().status()).isEqualTo(200);
        assertThat(result.reply().contentType()).startsWith("application/json");
        assertThat(result.reply().bodyAsUtf8()).isEqualTo("{\"code\":0,\"msg\":\"success\"}");
        assertThat(result.records()).hasSize(1);
        RawRecord record = result.records().get(0);
        assertThat(record.key()).isEqualTo("7000000000000000001");
        assertThat(record.attributes()).containsEntry("kind", "shop").containsEntry("shopId", SHOP_ID)
                .containsEntry("appKey", APP_KEY).containsEntry("tag", "101");
        assertThat(record.receivedAt()).isEqualTo(NOW);
    }

    @Test
    void recordKeepsTheMessageWithItsDataStringSoInt64IdsKeepEveryDigit() throws Exception {
        WebhookResult result = handler.handle(signedShopPush(resource("shop/push-101-paid.json")));

        JsonNode message = DouyinJson.MAPPER.readTree(result.records().get(0).payload());
        assertThat(message.path("tag").asText()).isEqualTo("101");
        assertThat(message.path("data").isTextual()).isTrue();
        assertThat(message.path("data").asText()).contains("\"p_id\":6920000000000000000")
                .contains("\"s_ids\":[6920000000000000001]");
    }

    @Test
    void hmacVariantIsAcceptedWhenTheSignMethodHeaderSaysSo() {
        byte[] body = resource("shop/push-101-paid.json");
        String hmac = DoudianApiStubs.hmacSha256Hex(APP_SECRET, APP_KEY + new String(body, StandardCharsets.UTF_8) + APP_SECRET);

        WebhookResult result = handler.handle(post(body, "app-id", APP_KEY, "event-sign", hmac, "sign-method", "hmac-sha256"));

        assertThat(result.records()).hasSize(1);
        // The md5 sign under the hmac method is refused, and the other way round.
        assertThatThrownBy(() -> handler.handle(post(body, "app-id", APP_KEY,
                "event-sign", "6784c8c4b3d1beb278df5d4bef201b4e", "sign-method", "hmac-sha256")))
                .isInstanceOf(BadSignatureException.class);
        assertThatThrownBy(() -> handler.handle(post(body, "app-id", APP_KEY, "event-sign", hmac)))
                .isInstanceOf(BadSignatureException.class);
    }

    @Test
    void unknownSignMethodIsRefused() {
        byte[] body = resource("shop/push-101-paid.json");

        assertThatThrownBy(() -> handler.handle(post(body, "app-id", APP_KEY, "event-sign", eventSign(APP_KEY, body, APP_SECRET),
                "sign-method", "sha1")))
                .isInstanceOf(BadSignatureException.class).hasMessageContaining("sign-method");
    }

    @Test
    void forgedEventSignIsRefusedAndNothingKept() {
        byte[] body = resource("shop/push-101-paid.json");

        assertThatThrownBy(() -> handler.handle(post(body, "app-id", APP_KEY, "event-sign", eventSign(APP_KEY, body, "guessed-secret"))))
                .isInstanceOf(BadSignatureException.class).hasMessageNotContaining(APP_SECRET);
        assertThatThrownBy(() -> handler.handle(post(body, "app-id", APP_KEY)))
                .isInstanceOf(BadSignatureException.class).hasMessageContaining("event-sign");
    }

    @Test
    void signatureIsCheckedOverTheRawBytes() {
        byte[] body = resource("shop/push-101-paid.json");
        String sign = eventSign(APP_KEY, body, APP_SECRET);
        byte[] reformatted = new String(body, StandardCharsets.UTF_8).replace("\"tag\":", "\"tag\": ").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> handler.handle(post(reformatted, "app-id", APP_KEY, "event-sign", sign)))
                .isInstanceOf(BadSignatureException.class);
    }

    @Test
    void pushForAnotherAppIsRefused() {
        byte[] body = resource("shop/push-101-paid.json");

        assertThatThrownBy(() -> handler.handle(post(body, "app-id", "9999999999999999999", "event-sign",
                eventSign("9999999999999999999", body, APP_SECRET))))
                .isInstanceOf(BadSignatureException.class).hasMessageContaining("9999999999999999999");
    }

    @Test
    void testMessageIsAnsweredButNotKept() {
        WebhookResult result = handler.handle(signedShopPush(resource("shop/push-test-message.json")));

        assertThat(result.reply().bodyAsUtf8()).isEqualTo("{\"code\":0,\"msg\":\"success\"}");
        assertThat(result.records()).isEmpty();
    }

    @Test
    void everyMessageOfAPushBecomesItsOwnRecordExceptTestMessages() {
        WebhookResult result = handler.handle(signedShopPush(resource("shop/push-several.json")));

        assertThat(result.records()).extracting(RawRecord::key)
                .containsExactly("7000000000000000000", "7000000000000000001", "7000000000000000006");
        assertThat(result.records()).extracting(r -> r.attributes().get("tag")).containsExactly("100", "101", "106");
        assertThat(result.records().get(2).payloadAsUtf8()).contains("买家不想要了");
    }

    @Test
    void oneMalformedMessageDoesNotHoldBackTheRestOfItsPush() {
        WebhookResult result = handler.handle(signedShopPush(resource("shop/push-one-malformed.json")));

        // Answered success, so 抖店 stops resending; every element is its own record.
        assertThat(result.reply().status()).isEqualTo(200);
        assertThat(result.reply().bodyAsUtf8()).isEqualTo("{\"code\":0,\"msg\":\"success\"}");
        assertThat(result.records()).extracting(RawRecord::key)
                .containsExactly("7000000000000000001", "", "7000000000000000777", "7000000000000000006");
        assertThat(result.records()).extracting(r -> r.attributes().get("position")).containsExactly("1", "2", "3", "4");
        assertThat(result.records()).extracting(r -> r.attributes().get("tag")).containsExactly("101", null, null, "106");
        // The malformed ones are kept as sent, for the normalizer to refuse with their position.
        assertThat(result.records().get(1).payloadAsUtf8()).isEqualTo("\"7000000000000000555\"");
        assertThat(result.records().get(2).payloadAsUtf8()).startsWith("{\"msg_id\":\"7000000000000000777\"");
    }

    @Test
    void signedArrayOfOnlyMalformedMessagesIsStillAcceptedForTheNormalizerToRefuse() {
        for (String json : List.of("[1]", "[{\"msg_id\":\"1\",\"data\":\"{}\"}]", "[null]", "[{\"tag\":{}}]")) {
            WebhookResult result = handler.handle(signedShopPush(json.getBytes(StandardCharsets.UTF_8)));
            assertThat(result.records()).as(json).hasSize(1);
        }
    }

    @Test
    void signedBodyThatIsNotAJsonArrayIsBadInput() {
        for (String json : List.of("{\"tag\":\"101\"}", "not json", "\"[]\"", "")) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> handler.handle(signedShopPush(body))).as(json).isInstanceOf(BadInputException.class);
        }
    }

    @Test
    void getIsRefusedAsUnauthenticated() {
        WebhookRequest get = new WebhookRequest("GET", Map.of(), Map.of(), new byte[0], NOW);

        assertThatThrownBy(() -> handler.handle(get)).isInstanceOf(BadSignatureException.class);
    }
}
