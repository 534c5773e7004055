package io.omnihub.connectors.erp;

import static io.omnihub.connectors.erp.KingdeeFixtures.ACCT_ID;
import static io.omnihub.connectors.erp.KingdeeFixtures.NOW;
import static io.omnihub.connectors.erp.KingdeeFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Order;
import io.omnihub.connector.schema.CanonicalEventJson;
import io.omnihub.connector.schema.CanonicalEventValidator;
import io.omnihub.connector.source.RawRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KingdeeNormalizerTest {

    private static final CanonicalEventValidator RULES = CanonicalEventValidator.create();
    private static final Identity CUST0231 = Identity.of(IdentityTypes.ERP_CUSTOMER, "CUST0231", ACCT_ID).withEvidence(Evidence.VERIFIED);

    private final KingdeeNormalizer normalizer = new KingdeeNormalizer("erp", "kingdee-main",
            KingdeeFixtures.config(KingdeeFixtures.passwordConfig("http://erp.example.com")));

    private CustomerEvent only(RawRecord record) {
        List<CustomerEvent> events = normalizer.normalize(record);
        assertThat(events).hasSize(1);
        assertThat(RULES.validate(events.get(0), "erp", "kingdee-main")).as("canonical event rules").isEmpty();
        return events.get(0);
    }

    private static RawRecord row(String form, String json) {
        return new RawRecord(form + ":test", "application/json", json.getBytes(StandardCharsets.UTF_8),
                Map.of(KingdeePoller.FORM, form, KingdeePoller.ACCT_ID, ACCT_ID), NOW);
    }

    @Test
    void customerBecomesAProfileUpdateWithNumberMobileAndChineseName() {
        CustomerEvent event = only(record("BD_Customer", "customer-mobile.json", NOW));

        assertThat(event.type()).isEqualTo(EventTypes.PROFILE_UPDATED);
        assertThat(event.id()).isEqualTo("erp:" + ACCT_ID + ":BD_Customer:100231:2024-05-20T10:15:30.123");
        assertThat(event.source()).isEqualTo("/connectors/erp/kingdee-main");
        assertThat(event.time()).isEqualTo(OffsetDateTime.parse("2024-05-20T10:15:30.123+08:00"));
        assertThat(event.data().identities()).containsExactly(CUST0231, Identity.of(IdentityTypes.PHONE, "+8613912345678").withEvidence(Evidence.NOTED));
        assertThat(event.data().attributes())
                .containsEntry("name", "杭州蓝湖贸易有限公司")
                .containsEntry("shortName", "蓝湖贸易")
                .containsEntry("address", "浙江省杭州市西湖区文三路90号")
                .doesNotContainKey("telephone");
        assertThat(event.data().extra())
                .containsEntry("customerId", "100231")
                .containsEntry("number", "CUST0231")
                .containsEntry("useOrg", "100");
    }

    @Test
    void aLandlineIsKeptAsAnAttributeButIsNoPhoneIdentity() {
        CustomerEvent event = only(record("BD_Customer", "customer-landline.json", NOW));

        assertThat(event.data().identities()).containsExactly(Identity.of(IdentityTypes.ERP_CUSTOMER, "CUST0232", ACCT_ID).withEvidence(Evidence.VERIFIED));
        assertThat(event.data().attributes()).containsEntry("name", "王小明").containsEntry("telephone", "021-58881234");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "13912345678|13912345678",
            "+86 13912345678|13912345678",
            "86-13912345678|13912345678",
            "0571-88886666/13912345678|13912345678",
            "手机：15800001111，座机：021-1234567|15800001111"})
    void theMobileIsFoundInWhatEverFtelHolds(String tel, String mobile) {
        assertThat(KingdeeNormalizer.mobile(tel)).contains(mobile);
    }

    @ParameterizedTest
    @CsvSource({"021-58881234", "12345678901", "139123456789", "400-820-8820"})
    void landlinesServiceNumbersAndLongDigitRunsAreNoMobile(String tel) {
        assertThat(KingdeeNormalizer.mobile(tel)).isEmpty();
    }

    @Test
    void eachSavedVersionOfACustomerIsItsOwnEventAndARepeatIsTheSame() {
        String v1 = "{\"FCUSTID\":100231,\"FNumber\":\"CUST0231\",\"FName\":\"蓝湖\",\"FModifyDate\":\"2024-05-20T10:15:30.123\"}";
        String v2 = v1.replace("10:15:30.123", "11:00:00");

        String first = only(row("BD_Customer", v1)).id();
        assertThat(only(row("BD_Customer", v1)).id()).isEqualTo(first);
        assertThat(only(row("BD_Customer", v2)).id()).isNotEqualTo(first).endsWith(":2024-05-20T11:00:00");
    }

    @Test
    void anOpenSalesOrderIsOrderCreatedWithAmountInFen() {
        CustomerEvent event = only(record("SAL_SaleOrder", "order-created.json", NOW));

        assertThat(event.type()).isEqualTo(EventTypes.ORDER_CREATED);
        assertThat(event.id()).as("state and saved version").isEqualTo("erp:" + ACCT_ID + ":SAL_SaleOrder:100871:created:2024-05-20T11:05:00");
        assertThat(event.time()).as("created at FCreateDate").isEqualTo(OffsetDateTime.parse("2024-05-20T11:02:10.457+08:00"));
        assertThat(event.data().identities()).containsExactly(CUST0231);
        assertThat(event.data().order()).isEqualTo(new Order("XSDD000871", "C", "CNY", 123456, List.of()));
        assertThat(event.data().extra())
                .containsEntry("channelOrderNumber", "TB3920117745028866")
                .containsEntry("customerName", "杭州蓝湖贸易有限公司")
                .containsEntry("orderDate", "2024-05-20")
                .containsEntry("erpCurrency", "PRE001");
        JsonNode data = CanonicalEventJson.dataTree(event.data());
        assertThat(data.path("order").path("totalMinor").isIntegralNumber()).isTrue();
    }

    @Test
    void aVoidedOrderIsOrderCancelledWithAmountsGivenAsText() {
        CustomerEvent event = only(record("SAL_SaleOrder", "order-cancelled.json", NOW));

        assertThat(event.type()).isEqualTo(EventTypes.ORDER_CANCELLED);
        assertThat(event.id()).endsWith(":SAL_SaleOrder:100860:cancelled:2024-05-20T09:41:17.21");
        assertThat(event.time()).as("cancelled at FModifyDate").isEqualTo(OffsetDateTime.parse("2024-05-20T09:41:17.210+08:00"));
        assertThat(event.data().order().totalMinor()).isEqualTo(8800);
        assertThat(event.data().identities()).containsExactly(Identity.of(IdentityTypes.ERP_CUSTOMER, "CUST0232", ACCT_ID).withEvidence(Evidence.VERIFIED));
        assertThat(event.data().extra()).doesNotContainKey("channelOrderNumber");
    }

    @Test
    void aClosedOrderIsOrderCompletedInItsOwnCurrencyRoundedHalfUp() {
        CustomerEvent event = only(record("SAL_SaleOrder", "order-closed-usd.json", NOW));

        assertThat(event.type()).isEqualTo(EventTypes.ORDER_COMPLETED);
        assertThat(event.id()).endsWith(":SAL_SaleOrder:100799:completed:2024-05-20T08:00:01");
        assertThat(event.data().order().currency()).isEqualTo("USD");
        assertThat(event.data().order().totalMinor()).as("19.999 USD").isEqualTo(2000);
    }

    @Test
    void anEditOfAnOpenOrderIsANewVersionWithItsNewTotalAndARepeatIsTheSame() {
        String open = "{\"FID\":100871,\"FBillNo\":\"XSDD000871\",\"FCustId.FNumber\":\"CUST0231\",\"FBillAllAmount\":10,"
                + "\"FCreateDate\":\"2024-05-20T11:02:10.457\",\"FModifyDate\":\"2024-05-20T11:05:00\",\"FCloseStatus\":\"A\",\"FCancelStatus\":\"A\"}";
        String edited = open.replace("11:05:00", "12:00:00").replace("\"FBillAllAmount\":10", "\"FBillAllAmount\":12")
                .replace("CUST0231", "CUST0232");

        CustomerEvent first = only(row("SAL_SaleOrder", open));
        CustomerEvent second = only(row("SAL_SaleOrder", edited));

        assertThat(only(row("SAL_SaleOrder", open)).id()).as("a re-poll of the same version").isEqualTo(first.id());
        assertThat(second.id()).isNotEqualTo(first.id()).endsWith(":SAL_SaleOrder:100871:created:2024-05-20T12:00:00");
        assertThat(second.type()).isEqualTo(EventTypes.ORDER_CREATED);
        assertThat(second.data().order()).isEqualTo(new Order("XSDD000871", null, "CNY", 1200, List.of()));
        assertThat(second.data().identities()).containsExactly(Identity.of(IdentityTypes.ERP_CUSTOMER, "CUST0232", ACCT_ID).withEvidence(Evidence.VERIFIED));
        assertThat(second.time()).as("still the creation").isEqualTo(first.time())
                .isEqualTo(OffsetDateTime.parse("2024-05-20T11:02:10.457+08:00"));
    }

    @Test
    void anOrderGetsANewIdWhenItsStateChanges() {
        String open = "{\"FID\":100871,\"FBillNo\":\"XSDD000871\",\"FCustId.FNumber\":\"CUST0231\",\"FBillAllAmount\":10,"
                + "\"FModifyDate\":\"2024-05-20T11:05:00\",\"FCloseStatus\":\"A\",\"FCancelStatus\":\"A\"}";
        String voided = open.replace("11:05:00", "12:00:00").replace("\"FCancelStatus\":\"A\"", "\"FCancelStatus\":\"B\"");

        assertThat(only(row("SAL_SaleOrder", voided)).id()).isNotEqualTo(only(row("SAL_SaleOrder", open)).id())
                .endsWith(":SAL_SaleOrder:100871:cancelled:2024-05-20T12:00:00");
    }

    @Test
    void anOrderNeverModifiedIsVersionedByItsCreation() {
        CustomerEvent event = only(row("SAL_SaleOrder", "{\"FID\":100900,\"FBillNo\":\"XSDD000900\",\"FCustId.FNumber\":\"CUST0231\","
                + "\"FBillAllAmount\":10,\"FCreateDate\":\"2024-05-20T11:02:10.457\",\"FModifyDate\":null}"));

        assertThat(event.id()).endsWith(":SAL_SaleOrder:100900:created:2024-05-20T11:02:10.457");
    }

    @Test
    void aDraftOrderGivesNoEventUntilItIsSaved() {
        String draft = "{\"FID\":100900,\"FBillNo\":\"XSDD000900\",\"FCustId.FNumber\":\"CUST0231\",\"FBillAllAmount\":10,"
                + "\"FModifyDate\":\"2024-05-20T11:05:00\",\"FDocumentStatus\":\"Z\"}";

        assertThat(normalizer.normalize(row("SAL_SaleOrder", draft))).isEmpty();
        assertThat(only(row("SAL_SaleOrder", draft.replace("\"Z\"", "\"A\""))).type()).isEqualTo(EventTypes.ORDER_CREATED);
    }

    @ParameterizedTest
    @CsvSource({"PRE001,CNY", "PRE002,HKD", "PRE003,EUR", "PRE004,JPY", "PRE007,USD", "usd,USD", "PRE999,CNY", "XYZ,CNY"})
    void kingdeeCurrencyNumbersMapToIsoCodes(String erp, String iso) {
        assertThat(KingdeeNormalizer.currency(erp)).isEqualTo(iso);
    }

    @ParameterizedTest
    @CsvSource({"1234.56,CNY,123456", "0.005,CNY,1", "0.004,CNY,0", "1500,JPY,1500", "1500.5,JPY,1501", "-12.30,CNY,-1230"})
    void decimalsBecomeExactMinorUnits(String amount, String currency, long minor) {
        assertThat(KingdeeNormalizer.minorUnits(new BigDecimal(amount), currency, "XSDD1")).isEqualTo(minor);
    }

    @Test
    void amountsNeverPassThroughDouble() {
        // 0.1 + 0.2 style: 1234567890123.45 is not representable in a double.
        CustomerEvent event = only(row("SAL_SaleOrder", "{\"FID\":1,\"FBillNo\":\"XSDD1\",\"FCustId.FNumber\":\"C1\","
                + "\"FBillAllAmount\":1234567890123.45,\"FModifyDate\":\"2024-05-20T11:05:00\"}"));

        assertThat(event.data().order().totalMinor()).isEqualTo(123456789012345L);
    }

    @Test
    void anOrderWithoutCustomerIsBadInput() {
        assertThatThrownBy(() -> normalizer.normalize(row("SAL_SaleOrder",
                "{\"FID\":1,\"FBillNo\":\"XSDD1\",\"FBillAllAmount\":1,\"FModifyDate\":\"2024-05-20T11:05:00\"}")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("sales order XSDD1 has no customer (FCustId.FNumber)");
    }

    @Test
    void anAmountThatIsNoNumberIsBadInput() {
        assertThatThrownBy(() -> normalizer.normalize(row("SAL_SaleOrder", "{\"FID\":1,\"FBillNo\":\"XSDD1\","
                + "\"FCustId.FNumber\":\"C1\",\"FBillAllAmount\":\"一百\",\"FModifyDate\":\"2024-05-20T11:05:00\"}")))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("FBillAllAmount that is not a number");
    }

    @Test
    void aCustomerWithoutNumberIsBadInput() {
        assertThatThrownBy(() -> normalizer.normalize(row("BD_Customer", "{\"FCUSTID\":5,\"FModifyDate\":\"2024-05-20T11:05:00\"}")))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("FNumber");
    }

    @Test
    void aBadDateIsBadInput() {
        assertThatThrownBy(() -> normalizer.normalize(row("BD_Customer",
                "{\"FCUSTID\":5,\"FNumber\":\"C5\",\"FModifyDate\":\"yesterday\"}")))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("FModifyDate that is not a date-time");
    }

    @Test
    void aPayloadThatIsNotJsonIsBadInput() {
        assertThatThrownBy(() -> normalizer.normalize(row("BD_Customer", "[[1,2]")))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void anUnknownFormIsBadInput() {
        assertThatThrownBy(() -> normalizer.normalize(row("STK_InStock", "{}")))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("STK_InStock");
    }

    @Test
    void olderMsDateFormIsUnderstood() {
        CustomerEvent event = only(row("BD_Customer",
                "{\"FCUSTID\":5,\"FNumber\":\"C5\",\"FModifyDate\":\"/Date(1716171330123+0800)/\"}"));

        assertThat(event.time()).isEqualTo(OffsetDateTime.parse("2024-05-20T10:15:30.123+08:00"));
    }
}
