package io.omnihub.connectors.erp;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.erp.KingdeeFixtures.ACCT_ID;
import static io.omnihub.connectors.erp.KingdeeFixtures.SAVE;
import static io.omnihub.connectors.erp.KingdeeFixtures.VALIDATE_USER;
import static io.omnihub.connectors.erp.KingdeeFixtures.context;
import static io.omnihub.connectors.erp.KingdeeStubs.json;
import static io.omnihub.connectors.erp.KingdeeStubs.loginOk;
import static io.omnihub.connectors.erp.KingdeeStubs.query;
import static io.omnihub.connectors.erp.KingdeeStubs.rows;
import static io.omnihub.connectors.erp.KingdeeStubs.save;
import static io.omnihub.connectors.erp.KingdeeStubs.serverError;
import static io.omnihub.connectors.erp.KingdeeStubs.validateUser;
import static io.omnihub.connectors.erp.KingdeeStubs.withSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.testkit.TestConnectorContext;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KingdeeActionSenderTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String ACTION_ID = "journey-7:step-2:cust-42";
    private static final String DERIVED = KingdeeActionSender.derivedNumber(ACTION_ID);

    private Map<String, String> config;

    @BeforeEach
    void setUp() {
        config = KingdeeFixtures.passwordConfig(wm.baseUrl());
        config.put("customer-group", "CG-ONLINE");
        config.put("saler", "SAL001");
        wm.stubFor(validateUser().willReturn(loginOk()));
    }

    private KingdeeActionSender sender() {
        TestConnectorContext ctx = context(config);
        KingdeeConfig kingdee = KingdeeConfig.from(ctx.config());
        return new KingdeeActionSender(ctx, kingdee, new KingdeeApiClient(ctx, kingdee));
    }

    private static OutboundAction customer(Map<String, Object> payload, Identity recipient) {
        return new OutboundAction(ACTION_ID, KingdeeActionSender.CUSTOMER_SAVE, recipient, payload);
    }

    private static OutboundAction order(Map<String, Object> payload) {
        return new OutboundAction("journey-9:step-1:order-TB3920117745028866", KingdeeActionSender.SALES_ORDER_SAVE,
                Identity.of(IdentityTypes.ERP_CUSTOMER, "CUST0231", ACCT_ID), payload);
    }

    private static Map<String, Object> orderPayload() {
        Map<String, Object> payload = new HashMap<>();
        payload.put("channelOrderNumber", "TB3920117745028866");
        payload.put("date", "2024-05-20");
        payload.put("lines", List.of(
                Map.of("material", "SKU-RUN-42", "qty", 2, "price", "399.00"),
                Map.of("sku", "SKU-SOCK-01", "quantity", 3, "unitPriceMinor", 1990, "unit", "Pcs")));
        return payload;
    }

    @Test
    void aNewCustomerIsCreatedWithANumberDerivedFromTheActionId() {
        wm.stubFor(withSession(query("BD_Customer"))
                .withRequestBody(matchingJsonPath("$.data.FilterString",
                        equalTo("FNumber='" + DERIVED + "' AND FUseOrgId.FNumber='100'")))
                .willReturn(rows(List.of())));
        wm.stubFor(withSession(save("BD_Customer")).withRequestBody(equalToJson("{\"formid\":\"BD_Customer\",\"data\":{"
                        + "\"NeedUpDateFields\":[],\"NeedReturnFields\":[\"FNumber\"],\"IsDeleteEntry\":\"true\",\"Model\":{"
                        + "\"FCUSTID\":\"0\",\"FCreateOrgId\":{\"FNumber\":\"100\"},\"FUseOrgId\":{\"FNumber\":\"100\"},"
                        + "\"FGroup\":{\"FNumber\":\"CG-ONLINE\"},\"FTRADINGCURRID\":{\"FNumber\":\"PRE001\"},"
                        + "\"FNumber\":\"" + DERIVED + "\",\"FName\":\"王小明\",\"FTEL\":\"13912345678\"}}}"))
                .willReturn(okJson(KingdeeFixtures.text("api/save-customer-ok.json").replace("CUST0233", DERIVED))));

        ActionResult result = sender().send(customer(Map.of("name", "王小明", "phone", "+8613912345678"), null));

        assertThat(DERIVED).matches("OMNI-[0-9A-F]{12}");
        assertThat(result.channelReference()).isEqualTo(DERIVED);
        assertThat(result.detail()).contains("created");
    }

    @Test
    void theSameActionAgainFindsTheCustomerItCreatedAndUpdatesItInsteadOfCreatingAnother() {
        wm.stubFor(withSession(query("BD_Customer"))
                .withRequestBody(matchingJsonPath("$.data.FilterString", equalTo("FNumber='" + DERIVED + "' AND FUseOrgId.FNumber='100'")))
                .willReturn(rows(List.of(List.of(100233, DERIVED)))));
        wm.stubFor(withSession(save("BD_Customer")).withRequestBody(equalToJson("{\"formid\":\"BD_Customer\",\"data\":{"
                        + "\"NeedUpDateFields\":[\"FName\",\"FTEL\"],\"NeedReturnFields\":[\"FNumber\"],\"IsDeleteEntry\":\"true\","
                        + "\"Model\":{\"FCUSTID\":100233,\"FNumber\":\"" + DERIVED + "\",\"FName\":\"王小明\",\"FTEL\":\"13912345678\"}}}"))
                .willReturn(okJson(KingdeeFixtures.text("api/save-customer-ok.json").replace("CUST0233", DERIVED))));

        ActionResult result = sender().send(customer(Map.of("name", "王小明", "phone", "13912345678"), null));

        assertThat(result.channelReference()).isEqualTo(DERIVED);
        assertThat(result.detail()).contains("updated");
    }

    @Test
    void anErpCustomerRecipientNamesTheCustomerToSaveAndAPhoneRecipientItsPhone() {
        wm.stubFor(query("BD_Customer")
                .withRequestBody(matchingJsonPath("$.data.FilterString", equalTo("FNumber='CUST0233' AND FUseOrgId.FNumber='200'")))
                .willReturn(rows(List.of())));
        wm.stubFor(save("BD_Customer")
                .withRequestBody(matchingJsonPath("$.data.Model.FNumber", equalTo("CUST0233")))
                .withRequestBody(matchingJsonPath("$.data.Model.FUseOrgId.FNumber", equalTo("200")))
                .willReturn(json("api/save-customer-ok.json")));

        ActionResult result = sender().send(customer(Map.of("name", "杭州蓝湖贸易有限公司", "org", "200"),
                Identity.of(IdentityTypes.ERP_CUSTOMER, "CUST0233", ACCT_ID)));

        assertThat(result.channelReference()).isEqualTo("CUST0233");
    }

    @Test
    void quotesInValuesCannotBreakOutOfTheFilter() {
        wm.stubFor(query("BD_Customer")
                .withRequestBody(matchingJsonPath("$.data.FilterString", equalTo("FNumber='X'' OR ''1''=''1' AND FUseOrgId.FNumber='100'")))
                .willReturn(rows(List.of())));
        wm.stubFor(save("BD_Customer").willReturn(json("api/save-customer-ok.json")));

        sender().send(customer(Map.of("name", "n", "number", "X' OR '1'='1"), null));

        wm.verify(1, postRequestedFor(urlPathEqualTo(SAVE)));
    }

    @Test
    void aCustomerWithoutNameIsBadInput() {
        assertThatThrownBy(() -> sender().send(customer(Map.of("phone", "13912345678"), null)))
                .isInstanceOf(BadInputException.class)
                .hasMessage("erp.customer.save payload needs 'name'");
    }

    @Test
    void aRecipientOfAnotherDataCenterIsBadInput() {
        assertThatThrownBy(() -> sender().send(customer(Map.of("name", "n"),
                Identity.of(IdentityTypes.ERP_CUSTOMER, "CUST0001", "otheracct"))))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("otheracct");
    }

    @Test
    void withoutAnOrganisationTheActionIsBadInput() {
        config.remove("sale-org");

        assertThatThrownBy(() -> sender().send(customer(Map.of("name", "n"), null)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("sale-org");
    }

    @Test
    void aSalesOrderCarriesTheChannelOrderNumberCustomerLinesAndConfiguredDefaults() {
        wm.stubFor(withSession(query("SAL_SaleOrder"))
                .withRequestBody(equalToJson("{\"data\":{\"FormId\":\"SAL_SaleOrder\",\"FieldKeys\":\"FID,FBillNo\","
                        + "\"FilterString\":\"F_OMNI_ChannelOrderNo='TB3920117745028866'\",\"OrderString\":\"FID ASC\","
                        + "\"TopRowCount\":0,\"StartRow\":0,\"Limit\":1}}"))
                .willReturn(rows(List.of())));
        wm.stubFor(withSession(save("SAL_SaleOrder")).withRequestBody(equalToJson("{\"formid\":\"SAL_SaleOrder\",\"data\":{"
                        + "\"NeedUpDateFields\":[],\"NeedReturnFields\":[\"FBillNo\"],\"IsDeleteEntry\":\"true\",\"Model\":{"
                        + "\"FID\":\"0\",\"FBillTypeID\":{\"FNumber\":\"XSDD01_SYS\"},\"FDate\":\"2024-05-20\","
                        + "\"FSaleOrgId\":{\"FNumber\":\"100\"},\"FCustId\":{\"FNumber\":\"CUST0231\"},\"FSalerId\":{\"FNumber\":\"SAL001\"},"
                        + "\"FNote\":\"OmniHub TB3920117745028866\",\"F_OMNI_ChannelOrderNo\":\"TB3920117745028866\","
                        + "\"FSaleOrderFinance\":{\"FSettleCurrId\":{\"FNumber\":\"PRE001\"},\"FIsIncludedTax\":true},"
                        + "\"FSaleOrderEntry\":["
                        + "{\"FMaterialId\":{\"FNumber\":\"SKU-RUN-42\"},\"FQty\":2,\"FTaxPrice\":399.00,\"FDeliveryDate\":\"2024-05-20\"},"
                        + "{\"FMaterialId\":{\"FNumber\":\"SKU-SOCK-01\"},\"FUnitID\":{\"FNumber\":\"Pcs\"},\"FQty\":3,\"FTaxPrice\":19.90,"
                        + "\"FDeliveryDate\":\"2024-05-20\"}]}}}"))
                .willReturn(json("api/save-order-ok.json")));

        ActionResult result = sender().send(order(orderPayload()));

        assertThat(result.channelReference()).isEqualTo("XSDD000872");
        assertThat(result.detail()).contains("TB3920117745028866");
    }

    @Test
    void aSalesOrderAlreadyCarryingTheChannelOrderNumberIsNotSavedTwice() {
        wm.stubFor(query("SAL_SaleOrder").willReturn(rows(List.of(List.of(100872, "XSDD000872")))));

        ActionResult result = sender().send(order(orderPayload()));

        assertThat(result.channelReference()).isEqualTo("XSDD000872");
        assertThat(result.detail()).contains("already");
        wm.verify(0, postRequestedFor(urlPathEqualTo(SAVE)));
    }

    @Test
    void withoutAnOrderNumberFieldTheOrderIsSavedUncheckedWithTheNumberInTheNote() {
        config.remove("order-number-field");
        wm.stubFor(save("SAL_SaleOrder")
                .withRequestBody(matchingJsonPath("$.data.Model.FNote", equalTo("OmniHub TB3920117745028866")))
                .willReturn(json("api/save-order-ok.json")));

        assertThat(sender().send(order(orderPayload())).channelReference()).isEqualTo("XSDD000872");
        wm.verify(0, postRequestedFor(urlPathEqualTo(KingdeeFixtures.EXECUTE_BILL_QUERY)));
    }

    @Test
    void linesWithoutMaterialUseTheDefaultMaterialAndTheDateDefaultsToTodayInShanghai() {
        config.put("default-material", "GEN-ONLINE");
        config.remove("order-number-field");
        wm.stubFor(save("SAL_SaleOrder")
                .withRequestBody(matchingJsonPath("$.data.Model.FSaleOrderEntry[0].FMaterialId.FNumber", equalTo("GEN-ONLINE")))
                // The clock reads 2024-05-20T10:00Z: 18:00 in Shanghai.
                .withRequestBody(matchingJsonPath("$.data.Model.FDate", equalTo("2024-05-20")))
                .willReturn(json("api/save-order-ok.json")));
        Map<String, Object> payload = Map.of("channelOrderNumber", "DY4987123349812",
                "lines", List.of(Map.of("qty", new BigDecimal("1"), "price", 59)));

        assertThat(sender().send(order(payload)).channelReference()).isEqualTo("XSDD000872");
    }

    @Test
    void refusedOrderIsBadInputListingKingdeesFieldMessages() {
        wm.stubFor(query("SAL_SaleOrder").willReturn(rows(List.of())));
        wm.stubFor(save("SAL_SaleOrder").willReturn(json("api/save-failed.json")));

        assertThatThrownBy(() -> sender().send(order(orderPayload())))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("FMaterialId: 第1行物料编码「SKU-RUN-42」不存在或未审核")
                .hasMessageContaining("FSalerId: 字段“销售员”是必填项");
    }

    @Test
    void lostSessionDuringSaveLogsInAgainAndSavesOnce() {
        wm.resetAll();
        wm.stubFor(validateUser().inScenario("relogin").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(loginOk("old-session-0001", "oldaspnet0001")).willSetStateTo("second login"));
        wm.stubFor(validateUser().inScenario("relogin").whenScenarioStateIs("second login")
                .willReturn(loginOk("new-session-0002", "newaspnet0002")));
        wm.stubFor(query("SAL_SaleOrder").willReturn(rows(List.of())));
        wm.stubFor(withSession(save("SAL_SaleOrder"), "old-session-0001", "oldaspnet0001").willReturn(json("api/session-lost-save.json")));
        wm.stubFor(withSession(save("SAL_SaleOrder"), "new-session-0002", "newaspnet0002").willReturn(json("api/save-order-ok.json")));

        assertThat(sender().send(order(orderPayload())).channelReference()).isEqualTo("XSDD000872");
        wm.verify(2, postRequestedFor(urlPathEqualTo(VALIDATE_USER)));
        wm.verify(2, postRequestedFor(urlPathEqualTo(SAVE)));
    }

    @Test
    void serverErrorDuringSaveIsTransient() {
        wm.stubFor(query("SAL_SaleOrder").willReturn(rows(List.of())));
        wm.stubFor(save("SAL_SaleOrder").willReturn(serverError()));

        assertThatThrownBy(() -> sender().send(order(orderPayload()))).isInstanceOf(TransientException.class);
    }

    @Test
    void anOrderWithoutLinesOrChannelNumberOrCustomerIsBadInput() {
        Map<String, Object> noLines = new HashMap<>(orderPayload());
        noLines.remove("lines");
        Map<String, Object> noNumber = new HashMap<>(orderPayload());
        noNumber.remove("channelOrderNumber");

        assertThatThrownBy(() -> sender().send(order(noLines))).isInstanceOf(BadInputException.class).hasMessageContaining("'lines'");
        assertThatThrownBy(() -> sender().send(order(noNumber))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'channelOrderNumber'");
        assertThatThrownBy(() -> sender().send(new OutboundAction("a1", KingdeeActionSender.SALES_ORDER_SAVE, null, orderPayload())))
                .isInstanceOf(BadInputException.class).hasMessageContaining("customerNumber");
    }

    @Test
    void badLinesAreBadInputNamingTheLine() {
        Map<String, Object> payload = new HashMap<>(orderPayload());
        payload.put("lines", List.of(Map.of("material", "SKU-1", "qty", 1, "price", "1"), Map.of("material", "SKU-2", "qty", 0, "price", "1")));
        assertThatThrownBy(() -> sender().send(order(payload))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("line 2").hasMessageContaining("positive");

        payload.put("lines", List.of(Map.of("material", "SKU-1", "qty", "两", "price", "1")));
        assertThatThrownBy(() -> sender().send(order(payload))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("line 1").hasMessageContaining("not a number");

        payload.put("lines", List.of(Map.of("qty", 1, "price", "1")));
        assertThatThrownBy(() -> sender().send(order(payload))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("default-material");

        // An exponent in the billions is refused at once, never written out or multiplied.
        payload.put("lines", List.of(Map.of("material", "SKU-1", "qty", new BigDecimal("1e999999999"),
                "price", new BigDecimal("-1e999999999"))));
        assertThatThrownBy(() -> sender().send(order(payload))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("line 1").hasMessageContaining("'qty' out of range");
        wm.verify(0, postRequestedFor(urlPathEqualTo(SAVE)));
    }

    @Test
    void anUnknownKindIsBadInput() {
        assertThatThrownBy(() -> sender().send(new OutboundAction("a1", "erp.invoice.save", null, Map.of())))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("erp.invoice.save");
    }

    @Test
    void kindsAreTheTwoSaves() {
        assertThat(sender().kinds()).containsExactlyInAnyOrder("erp.customer.save", "erp.sales-order.save");
    }
}
