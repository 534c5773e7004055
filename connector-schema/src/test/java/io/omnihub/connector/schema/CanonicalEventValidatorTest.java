package io.omnihub.connector.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.event.Channels;
import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.Coupon;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Order;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CanonicalEventValidatorTest {

    private static final Instant AT = Instant.parse("2025-05-20T02:00:00Z");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = CanonicalEventJson.newMapper();
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

    private static CustomerEvent with(CustomerEvent event, String id, String source, String type) {
        return new CustomerEvent(id, source, type, event.time(), event.data());
    }

    @Test
    void wellFormedEventHasNoViolations() {
        CustomerEvent event = paidOrder().build();

        assertThat(validator.validate(event, "doudian", "flagship")).isEmpty();
        assertThat(validator.validate(event)).isEmpty();
        assertThat(validator.validate(event, CanonicalEventJson.dataTree(event.data()))).isEmpty();
    }

    @Test
    void eventFromAnotherInstanceIsReportedWithTheExpectedSource() {
        assertThat(validator.validate(paidOrder().build(), "doudian", "outlet"))
                .containsExactly("$.source: is '/connectors/doudian/flagship', expected '/connectors/doudian/outlet'");
    }

    @Test
    void eventWithoutIdentitiesViolatesTheSchema() {
        CustomerEvent event = CustomerEvent.builder("x:1", EventTypes.PAGE_VIEWED)
                .source("web", "main").time(AT).receivedAt(AT).build();

        assertThat(validator.validate(event)).containsExactly("$.data: required property 'identities' not found");
    }

    @Test
    void phoneNotInE164AndOpenidWithoutNamespaceAreNamedByTheirPathInTheEvent() {
        CustomerEvent event = CustomerEvent.builder("wechat:wx1:1", EventTypes.CUSTOMER_FOLLOWED)
                .source("wechat", "brand-oa").time(AT).receivedAt(AT)
                .identity(Identity.of(IdentityTypes.PHONE, "13800138000"))
                .identity(Identity.of(IdentityTypes.WECHAT_OPENID, "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"))
                .build();

        assertThat(validator.validate(event, "wechat", "brand-oa"))
                .anySatisfy(v -> assertThat(v).startsWith("$.data.identities[0].value: does not match the regex pattern"))
                .anySatisfy(v -> assertThat(v).isEqualTo("$.data.identities[1]: required property 'namespace' not found"))
                .allSatisfy(v -> assertThat(v).doesNotContain("13800138000").doesNotContain("o6_bmjrPTlm6"));
    }

    @Test
    void everyCanonicalTypeAndDottedCustomTypesAreAcceptedOthersAreNot() throws IllegalAccessException {
        CustomerEvent event = paidOrder().build();
        for (Field field : EventTypes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String type = (String) field.get(null);
                assertThat(type).as("EventTypes.%s", field.getName()).matches(Pattern.compile(CanonicalEventValidator.TYPE_PATTERN));
            }
        }

        assertThat(validator.validate(with(event, event.id(), event.source(), "loyalty.points_earned"))).isEmpty();
        assertThat(validator.validate(with(event, event.id(), event.source(), "OrderPaid")))
                .containsExactly("$.type: must be one of EventTypes or a custom type matching ^[a-z]+(\\.[a-z_]+)+$, was 'OrderPaid'");
    }

    @Test
    void blankOrOverlongIdAndMalformedSourceAreReported() {
        CustomerEvent good = paidOrder().build();

        assertThat(validator.validate(with(good, " ", "doudian/flagship", good.type())))
                .containsExactly("$.id: must not be blank",
                        "$.source: must be /connectors/<connector>/<instance> (matching "
                                + CanonicalEventValidator.SOURCE_PATTERN + "), was 'doudian/flagship'");
        assertThat(validator.validate(with(good, "x".repeat(513), good.source(), good.type())))
                .containsExactly("$.id: must be at most 512 characters, has 513");
        assertThat(validator.validate(with(good, "x".repeat(512), good.source(), good.type()))).isEmpty();
    }

    @Test
    void anInstanceIdTheHubCannotRouteIsRefusedEvenWhenItIsTheProducersOwn() {
        CustomerEvent event = paidOrder().source("doudian", "flag ship").build();

        assertThat(validator.validate(event, "doudian", "flag ship"))
                .singleElement().asString().startsWith("$.source: must be /connectors/<connector>/<instance>");
    }

    @Test
    void theTreeGivenIsWhatIsChecked() {
        CustomerEvent event = paidOrder().build();
        ObjectNode received = (ObjectNode) CanonicalEventJson.dataTree(event.data());
        received.put("receivedAt", "yesterday");
        received.put("unexpected", 1);

        assertThat(validator.validate(event, received))
                .containsExactly("$.data.receivedAt: does not match the date-time pattern must be a valid RFC 3339 date-time",
                        "$.data: property 'unexpected' is not defined in the schema and the schema does not allow additional properties");
    }

    @Test
    void couponEventsMustCarryACouponAndConsentChangesMustStateSomething() {
        CustomerEvent noCoupon = with(paidOrder().build(), "pos:1", "/connectors/pos/stores", EventTypes.COUPON_REDEEMED);
        CustomerEvent emptyConsent = with(paidOrder().consent(new Consent(null, null)).build(),
                "sms:1", "/connectors/sms/aliyun", EventTypes.CONSENT_CHANGED);
        CustomerEvent smsWithdrawn = with(paidOrder().consent(Consent.channelMarketing(Channels.SMS, false)).build(),
                "sms:2", "/connectors/sms/aliyun", EventTypes.CONSENT_CHANGED);
        CustomerEvent redeemed = with(paidOrder().coupon(Coupon.of("CPN-1")).build(),
                "pos:2", "/connectors/pos/stores", EventTypes.COUPON_REDEEMED);

        assertThat(validator.validate(noCoupon)).containsExactly("$.data: a coupon.redeemed event must carry a 'coupon'");
        assertThat(validator.validate(emptyConsent))
                .containsExactly("$.data: a consent.changed event must carry a 'consent' that states at least one purpose");
        assertThat(validator.validate(smsWithdrawn)).isEmpty();
        assertThat(validator.validate(redeemed)).isEmpty();
    }

    @Test
    void channelNamesAndCouponValuesFollowTheSchema() {
        ObjectNode data = (ObjectNode) CanonicalEventJson.dataTree(paidOrder()
                .consent(Consent.channelMarketing(Channels.EMAIL, true)).coupon(Coupon.of("CPN-1")).build().data());
        ((ObjectNode) data.get("consent").get("marketingChannels")).put("E-Mail", false);
        ((ObjectNode) data.get("coupon")).put("valueMinor", 500);

        assertThat(validator.validateData(data)).hasSize(2)
                .anySatisfy(v -> assertThat(v).startsWith("$.consent.marketingChannels"))
                .anySatisfy(v -> assertThat(v).startsWith("$.coupon").contains("currency"));
    }

    @Test
    void dataAloneIsCheckedWithPathsFromItsOwnRoot() {
        JsonNode data = CanonicalEventJson.dataTree(paidOrder().build().data());
        ((ObjectNode) data.get("order")).put("totalMinor", "129.90");

        assertThat(validator.validateData(data)).containsExactly("$.order.totalMinor: string found, integer expected");
    }

    @Test
    void dataMayNestSixtyThreeLevelsTheEnvelopeTakingTheSixtyFourthAReaderAllows() throws Exception {
        assertThat(validator.validate(withExtraNesting(63))).isEmpty();
        assertThat(validator.validate(withExtraNesting(64)))
                .containsExactly("$.data: nests more than 63 levels of objects and arrays (the envelope takes one of the 64 levels an event may have)");
        // Arrays count as objects do.
        assertThat(CanonicalEventValidator.nestsDeeperThan(JSON.readTree("[[[1]]]"), 3)).isFalse();
        assertThat(CanonicalEventValidator.nestsDeeperThan(JSON.readTree("[[[[1]]]]"), 3)).isTrue();
        assertThat(CanonicalEventValidator.nestsDeeperThan(JSON.readTree("\"flat\""), 0)).isFalse();
    }

    /** A paid order whose {@code data} nests {@code levels} objects: itself, {@code extra}, and the rest under {@code extra.deep}. */
    private static CustomerEvent withExtraNesting(int levels) {
        Object value = 1;
        for (int i = 2; i < levels; i++) {
            value = java.util.Map.of("next", value);
        }
        return paidOrder().extra("deep", value).build();
    }
}
