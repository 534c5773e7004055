package io.omnihub.connector.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.CustomerEventData;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
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
    void readingRefusesDocumentsNestedDeeperThanTheLimit() {
        String deep = "[".repeat(CanonicalEventJson.MAX_NESTING_DEPTH + 1) + "]".repeat(CanonicalEventJson.MAX_NESTING_DEPTH + 1);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalEventJson.mapper().readTree(deep))
                .hasMessageContaining("nesting depth");
    }
}
