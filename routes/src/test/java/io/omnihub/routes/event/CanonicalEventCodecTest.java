package io.omnihub.routes.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Order;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalEventCodecTest {

    final CanonicalEventCodec codec = new CanonicalEventCodec();

    static CustomerEvent textMessage() {
        return CustomerEvent.builder("wechat:wxb11529c136998cb6:1234567890123456", EventTypes.MESSAGE_RECEIVED)
                .source("wechat", "brand-oa")
                .time(Instant.ofEpochSecond(1348831860))
                .receivedAt(Instant.ofEpochSecond(1348831861))
                .identity(Identity.of(IdentityTypes.WECHAT_OPENID, "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "wxb11529c136998cb6"))
                .message(new Message("text", "你好，我想了解会员卡"))
                .extra("msgId", "1234567890123456")
                .build();
    }

    @Test
    void encodedEventsAreCloudEventsTheReferenceSdkReads() {
        CustomerEvent event = textMessage();

        CloudEvent read = new JsonFormat().deserialize(codec.encode(event));

        assertThat(read.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(read.getId()).isEqualTo(event.id());
        assertThat(read.getSource().toString()).isEqualTo("/connectors/wechat/brand-oa");
        assertThat(read.getType()).isEqualTo("message.received");
        assertThat(read.getTime()).isEqualTo(event.time());
        assertThat(read.getDataSchema().toString()).isEqualTo(CustomerEvent.DATA_SCHEMA);
        assertThat(new String(read.getData().toBytes(), StandardCharsets.UTF_8)).contains("你好，我想了解会员卡");
    }

    /**
     * An event whose {@code data} nests {@code levels} objects: {@code data} itself, {@code extra},
     * and {@code levels - 2} more under {@code extra.deep}.
     */
    static CustomerEvent nested(int levels) {
        Object value = "bottom";
        for (int i = 2; i < levels; i++) {
            value = java.util.Map.of("next", value);
        }
        return CustomerEvent.builder("wechat:wxb11529c136998cb6:nested", EventTypes.MESSAGE_RECEIVED)
                .source("wechat", "brand-oa")
                .time(Instant.ofEpochSecond(1348831860))
                .receivedAt(Instant.ofEpochSecond(1348831861))
                .identity(Identity.of(IdentityTypes.WECHAT_OPENID, "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "wxb11529c136998cb6"))
                .extra("deep", value)
                .build();
    }

    @Test
    void dataNestedAsDeepAsTheLaterStagesReadIsWrittenAndOneLevelMoreIsRefusedWhereTheEventIsMade() {
        // 63 levels in data, 64 with the envelope: what every reader of an event accepts.
        CustomerEvent deepest = nested(63);
        byte[] json = codec.encode(deepest);
        assertThat(codec.decodeTrusted(json)).isEqualTo(deepest);
        assertThat(codec.decode(json)).isEqualTo(deepest);

        assertThatThrownBy(() -> codec.encode(nested(64))).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("$.data: nests more than 63 levels");
    }

    @Test
    void trustedAndFullDecodingGiveBackTheSameEvent() {
        CustomerEvent event = textMessage();
        byte[] json = codec.encode(event);

        assertThat(codec.decodeTrusted(json)).isEqualTo(event);
        assertThat(codec.decode(json)).isEqualTo(event);
    }

    @Test
    void ordersKeepTheirMinorUnits() {
        CustomerEvent paid = CustomerEvent.builder("doudian:1:6920000000000000000:paid", EventTypes.ORDER_PAID)
                .source("douyin", "shop")
                .time(Instant.ofEpochSecond(1700000000))
                .receivedAt(Instant.ofEpochSecond(1700000001))
                .identity(Identity.phone("13912345678"))
                .order(new Order("6920000000000000000", "paid", "CNY", 9900,
                        List.of(new Order.OrderLine("sku-1", "跑鞋", 1, 9900))))
                .build();

        assertThat(codec.decodeTrusted(codec.encode(paid)).data().order().totalMinor()).isEqualTo(9900);
    }

    @Test
    void anEventBreakingTheSchemaIsRefusedNamingEachViolation() {
        CustomerEvent bad = CustomerEvent.builder("x:1", EventTypes.MESSAGE_RECEIVED)
                .source("wechat", "brand-oa")
                .time(Instant.ofEpochSecond(1))
                .receivedAt(Instant.ofEpochSecond(1))
                .identity(Identity.of(IdentityTypes.WECHAT_OPENID, "o6_bmjrPTlm6", null))
                .identity(Identity.of(IdentityTypes.PHONE, "12345abc"))
                .build();

        assertThatThrownBy(() -> codec.encode(bad))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("x:1")
                .satisfies(e -> assertThat(((InvalidEventException) e).violations())
                        .contains("$.data.identities[0]: required property 'namespace' not found")
                        .anySatisfy(v -> assertThat(v).startsWith("$.data.identities[1].value: does not match the regex pattern")));
    }

    @Test
    void anEventWithoutIdentitiesIsRefused() {
        CustomerEvent anonymous = CustomerEvent.builder("x:2", EventTypes.PAGE_VIEWED)
                .source("wechat", "brand-oa").time(Instant.ofEpochSecond(1)).receivedAt(Instant.ofEpochSecond(1)).build();

        assertThatThrownBy(() -> codec.encode(anonymous)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("identities");
    }

    @Test
    void fullDecodingAppliesTheCanonicalRulesToWhatWasReceived() {
        CustomerEvent event = textMessage();
        String json = new String(codec.encode(event), StandardCharsets.UTF_8)
                .replace("/connectors/wechat/brand-oa", "/connectors/WeChat/brand-oa")
                .replace("\"type\":\"message.received\"", "\"type\":\"MessageReceived\"");

        assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class)
                .satisfies(e -> assertThat(((InvalidEventException) e).violations())
                        .hasSize(2)
                        .anySatisfy(v -> assertThat(v).startsWith("$.source: must be /connectors/<connector>/<instance>"))
                        .anySatisfy(v -> assertThat(v).startsWith("$.type: must be one of EventTypes")));
    }

    @Test
    void trustedDecodingDoesNotRepeatTheChecksEncodingMade() {
        CustomerEvent event = textMessage();
        String json = new String(codec.encode(event), StandardCharsets.UTF_8).replace("\"type\":\"message.received\"", "\"type\":\"MessageReceived\"");

        CustomerEvent read = codec.decodeTrusted(json.getBytes(StandardCharsets.UTF_8));

        assertThat(read.type()).isEqualTo("MessageReceived");
        assertThat(codec.violations(read)).singleElement().asString().startsWith("$.type:");
    }

    @Test
    void somethingThatIsNotACloudEventIsRefusedByFullDecoding() throws Exception {
        byte[] notAnEvent = new ObjectMapper().writeValueAsBytes(java.util.Map.of("hello", "world"));

        assertThatThrownBy(() -> codec.decode(notAnEvent)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("CloudEvents");
    }
}
