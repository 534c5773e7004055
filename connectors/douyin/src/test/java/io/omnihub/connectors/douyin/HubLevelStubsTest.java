package io.omnihub.connectors.douyin;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The minimal 抖店 stubs for a hub-level end-to-end test, registered through WireMock's remote admin
 * client as such a test would: they do not depend on the clock (the {@code sign} is matched by
 * shape, since the hub's clock sets the timestamp) and make one customer with phone 13912345678.
 * The signature itself is proven in {@link DoudianApiClientTest}, whose stubs recompute it.
 */
class HubLevelStubsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** Instance config: kind=shop, app-key 1234567890123456789, app-secret test-app-secret, shop-id 12345. */
    static void registerShopStubs(WireMock doudian) {
        doudian.register(signed("token.create")
                .withRequestBody(equalToJson("{\"code\":\"\",\"grant_type\":\"authorization_self\",\"shop_id\":12345}"))
                .willReturn(okJson("{\"code\":10000,\"msg\":\"success\",\"data\":{\"access_token\":\"e2e-token\","
                        + "\"expires_in\":604800,\"refresh_token\":\"e2e-refresh\",\"shop_id\":\"12345\",\"shop_name\":\"E2E 店\"}}")));
        doudian.register(signed("order.orderDetail")
                .withQueryParam("access_token", equalTo("e2e-token"))
                .withRequestBody(equalToJson("{\"shop_order_id\":\"6920000000000000000\"}"))
                .willReturn(okJson("{\"code\":10000,\"msg\":\"success\",\"data\":{\"shop_order_detail\":{"
                        + "\"order_id\":\"6920000000000000000\",\"order_status\":2,\"pay_amount\":9900,"
                        + "\"doudian_open_id\":\"1@#e2e-buyer\",\"encrypt_post_tel\":\"#e2e#cipher#\","
                        + "\"sku_order_list\":[{\"sku_id\":1789012345678901234,\"product_name\":\"轻量缓震跑鞋\","
                        + "\"item_num\":1,\"origin_amount\":9900}]}}}")));
        doudian.register(signed("order.batchDecrypt")
                .withQueryParam("access_token", equalTo("e2e-token"))
                .withRequestBody(equalToJson("{\"cipher_infos\":[{\"auth_id\":\"6920000000000000000\",\"cipher_text\":\"#e2e#cipher#\"}]}"))
                .willReturn(okJson("{\"code\":10000,\"msg\":\"success\",\"data\":{\"decrypt_infos\":[{"
                        + "\"auth_id\":\"6920000000000000000\",\"cipher_text\":\"#e2e#cipher#\",\"decrypt_text\":\"13912345678\","
                        + "\"err_no\":0,\"is_virtual_tel\":false}],\"custom_err\":{\"err_code\":0,\"err_msg\":\"\"}}}")));
    }

    private static MappingBuilder signed(String method) {
        return post(urlPathEqualTo("/" + method.replace('.', '/')))
                .withQueryParam("app_key", equalTo("1234567890123456789"))
                .withQueryParam("method", equalTo(method))
                .withQueryParam("v", equalTo("2"))
                .withQueryParam("sign_method", equalTo("hmac-sha256"))
                .withQueryParam("timestamp", matching("[0-9]{10}"))
                .withQueryParam("sign", matching("[0-9a-f]{64}"));
    }

    @Test
    void theProtocolVectorPushMakesOneCustomerWithThePhone() {
        registerShopStubs(wm.getRuntimeInfo().getWireMock());
        Map<String, String> config = DouyinFixtures.shopConfig();
        config.put("api-base-url", wm.baseUrl());

        try (ConnectorInstance shop = new DouyinConnector().open(DouyinFixtures.context(config))) {
            // POST /hooks/douyin/<instance> with these exact bytes and headers.
            WebhookResult result = shop.webhook().orElseThrow().handle(DouyinFixtures.post(
                    DouyinFixtures.resource("shop/push-101-paid.json"),
                    "app-id", "1234567890123456789", "event-sign", "6784c8c4b3d1beb278df5d4bef201b4e"));
            RawRecord record = result.records().get(0);
            List<CustomerEvent> events = shop.normalizer().normalize(record);

            assertThat(result.reply().bodyAsUtf8()).isEqualTo("{\"code\":0,\"msg\":\"success\"}");
            assertThat(events).singleElement().satisfies(event -> {
                assertThat(event.id()).isEqualTo("doudian:12345:7000000000000000001");
                assertThat(event.type()).isEqualTo(EventTypes.ORDER_PAID);
                assertThat(event.data().identities()).containsExactly(
                        Identity.of(IdentityTypes.DOUDIAN_OPENID, "1@#e2e-buyer", "12345").withEvidence(Evidence.VERIFIED),
                        Identity.of(IdentityTypes.PHONE, "+8613912345678").withEvidence(Evidence.DELIVERY));
                assertThat(event.data().order().totalMinor()).isEqualTo(9900);
                assertThat(event.data().order().currency()).isEqualTo("CNY");
            });
            CanonicalEvents.assertValid(events);
        }
    }
}
