package io.omnihub.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Order;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalEventValidatorTest {

    private static final Instant AT = Instant.parse("2025-05-20T02:00:00Z");
    private final CanonicalEventValidator validator = CanonicalEventValidator.create();

    private static CustomerEvent.Builder paidOrder() {
        return CustomerEvent.builder("doudian:shop-1:order-42:paid", EventTypes.ORDER_PAID)
                .source("doudian", "flagship")
                .time(AT)
                .receivedAt(AT.plusSeconds(3))
                .identity(Identity.of(IdentityTypes.DOUDIAN_OPENID, "buyer-9", "shop-1"))
                .identity(Identity.phone("13800138000"))
                .order(new Order("order-42", "paid", "CNY", 12_990, List.of(new Order.OrderLine("sku-1", "跑鞋", 1, 12_990))));
    }

    @Test
    void wellFormedEventHasNoViolations() {
        assertThat(validator.validate(paidOrder().build(), "doudian", "flagship")).isEmpty();
    }

    @Test
    void eventFromAnotherInstanceIsReportedWithTheExpectedSource() {
        assertThat(validator.validate(paidOrder().build(), "doudian", "outlet"))
                .containsExactly("event 'doudian:shop-1:order-42:paid': source is '/connectors/doudian/flagship', "
                        + "expected '/connectors/doudian/outlet'");
    }

    @Test
    void eventWithoutIdentitiesViolatesTheSchema() {
        CustomerEvent event = CustomerEvent.builder("x:1", EventTypes.PAGE_VIEWED)
                .source("web", "main").time(AT).receivedAt(AT).build();

        assertThat(validator.validate(event)).containsExactly("event 'x:1': data $: required property 'identities' not found");
    }

    @Test
    void phoneNotInE164AndOpenidWithoutNamespaceAreReported() {
        CustomerEvent event = CustomerEvent.builder("wechat:wx1:1", EventTypes.CUSTOMER_FOLLOWED)
                .source("wechat", "brand-oa").time(AT).receivedAt(AT)
                .identity(Identity.of(IdentityTypes.PHONE, "13800138000"))
                .identity(Identity.of(IdentityTypes.WECHAT_OPENID, "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"))
                .build();

        assertThat(validator.validate(event, "wechat", "brand-oa"))
                .anySatisfy(v -> assertThat(v).contains("$.identities[0].value").contains("pattern"))
                .anySatisfy(v -> assertThat(v).contains("$.identities[1]").contains("required property 'namespace' not found"));
    }

    @Test
    void customTypesMustLookLikeDottedLowercaseNames() {
        CustomerEvent custom = paidOrder().build();
        CustomerEvent loyalty = new CustomerEvent(custom.id(), custom.source(), "loyalty.points_earned", custom.time(), custom.data());
        CustomerEvent shouting = new CustomerEvent(custom.id(), custom.source(), "OrderPaid", custom.time(), custom.data());

        assertThat(validator.validate(loyalty)).isEmpty();
        assertThat(validator.validate(shouting)).singleElement().asString()
                .contains("type 'OrderPaid' is neither one of EventTypes nor matches");
    }

    @Test
    void blankIdAndMalformedSourceAreReported() {
        CustomerEvent good = paidOrder().build();
        CustomerEvent bad = new CustomerEvent(" ", "doudian/flagship", good.type(), good.time(), good.data());

        assertThat(validator.validate(bad)).hasSize(2)
                .anySatisfy(v -> assertThat(v).endsWith("id is blank"))
                .anySatisfy(v -> assertThat(v).contains("source is 'doudian/flagship', expected /connectors/<connector>/<instance>"));
    }

    @Test
    void timesAreWrittenWithTheirOffsetNotAsEpochNumbers() {
        CustomerEvent event = paidOrder().time(OffsetDateTime.parse("2025-05-20T10:00:00+08:00")).build();

        String json = CanonicalEventJson.toJson(event);

        assertThat(json)
                .contains("\"specversion\":\"1.0\"")
                .contains("\"time\":\"2025-05-20T10:00:00+08:00\"")
                .contains("\"receivedAt\":\"2025-05-20T10:00:03+08:00\"")
                .contains("\"dataschema\":\"" + CustomerEvent.DATA_SCHEMA + "\"")
                .contains("\"totalMinor\":12990");
    }
}
