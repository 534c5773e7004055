package io.omnihub.connector.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Channels;
import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.Coupon;
import io.omnihub.connector.event.CustomerEventData;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalEventJsonTest {

    private static CustomerEvent paidOrder() {
        return CustomerEvent.builder("doudian:shop-1:order-42:paid", EventTypes.ORDER_PAID)
                .source("doudian", "flagship")
                .time(OffsetDateTime.parse("2025-05-20T10:00:00+08:00"))
                .receivedAt(Instant.parse("2025-05-20T02:00:03Z"))
                .identity(Identity.phone("13800138000"))
                .order(new Order("order-42", "paid", "CNY", 12_990, List.of(new Order.OrderLine("sku-1", "跑鞋", 1, 12_990))))
                .build();
    }

    @Test
    void eventsAreCloudEventsWithTimesKeepingTheirOffsetNotEpochNumbers() {
        String json = CanonicalEventJson.toJson(paidOrder());

        assertThat(json)
                .contains("\"specversion\":\"1.0\"")
                .contains("\"datacontenttype\":\"application/json\"")
                .contains("\"dataschema\":\"" + CustomerEvent.DATA_SCHEMA + "\"")
                .contains("\"time\":\"2025-05-20T10:00:00+08:00\"")
                .contains("\"receivedAt\":\"2025-05-20T10:00:03+08:00\"")
                .contains("\"totalMinor\":12990")
                .doesNotContain("\"attributes\"", "\"extra\"");
        assertThat(new String(CanonicalEventJson.toBytes(paidOrder()), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @Test
    void dataReadBackIsTheDataWritten() throws Exception {
        CustomerEvent event = paidOrder();
        JsonNode tree = CanonicalEventJson.toTree(event);

        CustomerEventData read = CanonicalEventJson.mapper().treeToValue(tree.get("data"), CustomerEventData.class);

        assertThat(read).isEqualTo(event.data());
        assertThat(OffsetDateTime.parse(tree.get("time").asText())).isEqualTo(event.time());
    }

    @Test
    void consentByChannelCouponsAndLineCategoriesReadBackAsWritten() throws Exception {
        CustomerEvent event = CustomerEvent.builder("pos:store-7:T1:coupon", EventTypes.COUPON_REDEEMED)
                .source("pos", "stores")
                .time(OffsetDateTime.parse("2025-05-20T10:00:00+08:00"))
                .receivedAt(Instant.parse("2025-05-20T02:00:03Z"))
                .identity(Identity.phone("13800138000"))
                .consent(new Consent(null, true, Map.of(Channels.SMS, false), false))
                .coupon(new Coupon("CPN-8817", "spring-10", "春季满减", 1_000L, "CNY", "store-7", "T1"))
                .order(new Order("T1", "paid", "CNY", 8_990,
                        List.of(new Order.OrderLine("sku-1", "跑鞋", 1, 9_990, "running-shoes"))))
                .build();
        JsonNode tree = CanonicalEventJson.toTree(event);

        assertThat(tree.at("/data/consent/marketingChannels/sms").booleanValue()).isFalse();
        assertThat(tree.at("/data/consent/analytics").booleanValue()).isFalse();
        assertThat(tree.at("/data/coupon/valueMinor").longValue()).isEqualTo(1_000L);
        assertThat(tree.at("/data/order/lines/0/category").asText()).isEqualTo("running-shoes");
        assertThat(CanonicalEventJson.mapper().treeToValue(tree.get("data"), CustomerEventData.class)).isEqualTo(event.data());
        assertThat(event.data().consent().marketingOn(Channels.SMS)).contains(false);
        assertThat(event.data().consent().marketingOn(Channels.EMAIL)).contains(true);
    }

    @Test
    void dataWrittenBySdkOneZeroStillReads() throws Exception {
        String old = "{\"receivedAt\":\"2025-05-20T10:00:03+08:00\",\"identities\":[{\"type\":\"phone\",\"value\":\"+8613800138000\"}],"
                + "\"consent\":{\"marketing\":false},\"order\":{\"id\":\"o1\",\"currency\":\"CNY\",\"totalMinor\":100,"
                + "\"lines\":[{\"sku\":\"s\",\"quantity\":1,\"unitPriceMinor\":100}]}}";

        CustomerEventData read = CanonicalEventJson.mapper().readValue(old, CustomerEventData.class);

        assertThat(read.consent()).isEqualTo(new Consent(null, false));
        assertThat(read.consent().marketingChannels()).isEmpty();
        assertThat(read.order().lines()).containsExactly(new Order.OrderLine("s", null, 1, 100));
        assertThat(read.coupon()).isNull();
    }

    @Test
    void readingRefusesDocumentsNestedDeeperThanTheLimit() {
        String deep = "[".repeat(CanonicalEventJson.MAX_NESTING_DEPTH + 1) + "]".repeat(CanonicalEventJson.MAX_NESTING_DEPTH + 1);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalEventJson.mapper().readTree(deep))
                .hasMessageContaining("nesting depth");
    }
}
