package io.omnihub.connectors.erp;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.omnihub.connectors.erp.KingdeeFixtures.ACCT_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OmniHub acceptance suite for the Kingdee connector; one subclass per login mode, each with
 * WireMock speaking that mode's protocol (a session from {@code ValidateUser} or
 * {@code LoginByAppSecret} sent as cookies, or signed headers). The records are what the real
 * poller reads from a stubbed data center ({@link #stubPollSource}), and the actions the two saves.
 *
 * <p>{@code action-idempotency-key} does not apply ({@link #notApplicable()}): Kingdee's WebAPI has
 * no idempotency key, so no request can carry the action id for Kingdee to act on. The connector's
 * guard is a look-up before the {@code Save} by a key every attempt shares (the customer number,
 * derived from the action id when the CRM names none; the channel order number in
 * {@code order-number-field}); see {@link #aRepeatedActionIsAcceptedAgainWithoutSecrets} and
 * {@code KingdeeActionSenderTest}.
 */
abstract class KingdeeAcceptanceTest extends ConnectorAcceptanceTest {

    /** Rows per form and poll: small, so that the five rows take two pages. */
    static final String PAGE_SIZE = "2";

    private static final String CUSTOMER_KEYS = String.join(",", KingdeeForm.CUSTOMER.fieldKeys(Optional.empty()));
    private static final String ORDER_KEYS = String.join(",",
            KingdeeForm.SALES_ORDER.fieldKeys(Optional.of(KingdeeFixtures.ORDER_FIELD)));

    @Override
    protected ChannelConnector connector() {
        return new ErpConnector();
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        return Set.of("password", "app-secret");
    }

    /** A fixture configuration with {@link #PAGE_SIZE}, so that polling takes more than one page. */
    static Map<String, String> paged(Map<String, String> config) {
        Map<String, String> paged = new HashMap<>(config);
        paged.put("page-size", PAGE_SIZE);
        return Map.copyOf(paged);
    }

    /** Stubs the login this mode makes before its first call; signed mode has none. */
    abstract void stubLogin();

    /** {@code call} as this mode sends it: with the session's cookies, or signed for the instance's credentials. */
    abstract MappingBuilder authenticated(MappingBuilder call);

    /** Registers a stub on the server itself: custom matchers (the signature check) cannot travel over the admin API. */
    private void stub(MappingBuilder call, ResponseDefinitionBuilder answer) {
        channel().stubFor(authenticated(call).willReturn(answer));
    }

    // ---------------------------------------------------------------------------------------
    // Polling
    // ---------------------------------------------------------------------------------------

    /**
     * A data center holding the two customers (both modified at 10:15:30.123, a shared boundary)
     * and three sales orders under {@code kingdee/records/}, answering {@code ExecuteBillQuery} as
     * Kingdee does: rows in FieldKeys order, {@code FModifyDate>='a'} (or, never modified,
     * {@code FCreateDate>='b'}; every row here was modified) ordered by modification time, creation
     * time and id, at most {@code Limit} rows. Each query the poller makes from these rows is stubbed
     * with its exact body; each after the first starts {@code sync-lag} (3 minutes) before the newest
     * time read:
     * <ol>
     *   <li>first poll, any dated row, {@code Limit} 2: both customers (a full page) and the first two
     *       orders (a full page), so the hub polls again at once;</li>
     *   <li>from 3 minutes before the customers' boundary, {@code Limit} 2 + 2 seen: the two seen
     *       customers again (skipped); from 3 minutes before the second order's time, {@code Limit}
     *       2 + 1: that order (skipped) and the third;</li>
     *   <li>from 3 minutes before the third order's time: that order alone (skipped): caught up.</li>
     * </ol>
     */
    @Override
    protected boolean stubPollSource(WireMock channel) {
        stubLogin();
        JsonNode mobile = row("customer-mobile.json", CUSTOMER_KEYS);
        JsonNode landline = row("customer-landline.json", CUSTOMER_KEYS);
        JsonNode closed = row("order-closed-usd.json", ORDER_KEYS);
        JsonNode cancelled = row("order-cancelled.json", ORDER_KEYS);
        JsonNode created = row("order-created.json", ORDER_KEYS);
        stubQuery("BD_Customer", CUSTOMER_KEYS, null, "FCUSTID", 2, rows(mobile, landline));
        stubQuery("BD_Customer", CUSTOMER_KEYS, "2024-05-20 10:12:30.123", "FCUSTID", 4, rows(mobile, landline));
        stubQuery("SAL_SaleOrder", ORDER_KEYS, null, "FID", 2, rows(closed, cancelled));
        stubQuery("SAL_SaleOrder", ORDER_KEYS, "2024-05-20 09:38:17.210", "FID", 3, rows(cancelled, created));
        stubQuery("SAL_SaleOrder", ORDER_KEYS, "2024-05-20 11:02:00", "FID", 3, rows(created));
        // Each page's new orders' lines, read by order id.
        stubLines("100799,100860", rows(
                line(100799, 100800, "SKU-RUN-42", "轻量缓震跑鞋 42码", 1, "19.999", "19.999", "RUN"),
                line(100860, 100861, "SKU-SOCK-3", "速干运动袜 三双装", 2, "44.00", "88.00", "ACC")));
        stubLines("100871", rows(
                line(100871, 100872, "SKU-WATCH-1", "智能手表 心率监测", 1, "1099.00", "1099.00", "WEAR"),
                line(100871, 100873, "SKU-BAND-W", "表带 硅胶", 3, "45.186667", "135.56", "ACC")));
        return true;
    }

    /**
     * The checkpoint is a JSON object holding a watermark per form ({@link KingdeeCheckpoint}): one
     * is not earlier than another when no form's watermark is behind
     * ({@link KingdeeCheckpoint#isAtOrAfter}); a checkpoint behind in any form is earlier.
     */
    @Override
    protected Optional<Comparator<String>> checkpointOrder() {
        return Optional.of((a, b) -> {
            KingdeeCheckpoint first = KingdeeCheckpoint.parse(a);
            KingdeeCheckpoint second = KingdeeCheckpoint.parse(b);
            if (first.equals(second)) {
                return 0;
            }
            return first.isAtOrAfter(second) ? 1 : -1;
        });
    }

    /** Stubs the query for rows modified from {@code modifiedFrom} ({@code null}: any) or never modified. */
    private void stubQuery(String form, String keys, String modifiedFrom, String idField, int limit, ResponseDefinitionBuilder answer) {
        stub(KingdeeStubs.query(form)
                .withHeader("Content-Type", equalTo("application/json;charset=UTF-8"))
                .withRequestBody(equalToJson("{\"data\":{\"FormId\":\"" + form + "\",\"FieldKeys\":\"" + keys
                        + "\",\"FilterString\":\"" + KingdeePollerTest.filter(modifiedFrom, null)
                        + "\",\"OrderString\":\"FModifyDate ASC,FCreateDate ASC," + idField
                        + " ASC\",\"TopRowCount\":0,\"StartRow\":0,\"Limit\":" + limit + "}}")), answer);
    }

    /** Stubs the lines query for the orders {@code ids} (comma-separated). */
    private void stubLines(String ids, ResponseDefinitionBuilder answer) {
        stub(KingdeeStubs.query("SAL_SaleOrder")
                .withRequestBody(equalToJson("{\"data\":{\"FormId\":\"SAL_SaleOrder\",\"FieldKeys\":\""
                        + String.join(",", KingdeeForm.lineKeys(java.util.Optional.of(KingdeeConfig.DEFAULT_LINE_CATEGORY_FIELD)))
                        + "\",\"FilterString\":\"FID IN (" + ids + ")\",\"OrderString\":\"FID ASC,FSaleOrderEntry_FEntryID ASC\","
                        + "\"TopRowCount\":0,\"StartRow\":0,\"Limit\":2000}}")), answer);
    }

    /** A line row in the line FieldKeys order; numbers as Kingdee's decimals. */
    private static JsonNode line(long orderId, long entryId, String material, String name, int qty, String taxPrice,
                                 String allAmount, String group) {
        ArrayNode row = KingdeeApiClient.JSON.createArrayNode();
        row.add(orderId).add(entryId).add(material).add(name).add(qty)
                .add(new java.math.BigDecimal(taxPrice)).add(new java.math.BigDecimal(allAmount)).add(group);
        return row;
    }

    /** A row as ExecuteBillQuery answers it: the record file's values in FieldKeys order. */
    private static JsonNode row(String file, String keys) {
        try {
            JsonNode record = KingdeeApiClient.JSON.readTree(KingdeeFixtures.resource("records/" + file));
            ArrayNode row = KingdeeApiClient.JSON.createArrayNode();
            for (String key : keys.split(",")) {
                row.add(record.get(key));
            }
            return row;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ResponseDefinitionBuilder rows(JsonNode... rows) {
        ArrayNode answer = KingdeeApiClient.JSON.createArrayNode();
        for (JsonNode row : rows) {
            answer.add(row);
        }
        return okJson(answer.toString());
    }

    // ---------------------------------------------------------------------------------------
    // Actions
    // ---------------------------------------------------------------------------------------

    /** See the class comment. */
    @Override
    protected Map<String, String> notApplicable() {
        return Map.of("action-idempotency-key", "Kingdee's WebAPI has no idempotency key that a request could carry"
                + " the action id in: a repeated action is recognised by a look-up before the Save (the customer number,"
                + " derived from the action id; the channel order number in order-number-field), checked by"
                + " aRepeatedActionIsAcceptedAgainWithoutSecrets and KingdeeActionSenderTest");
    }

    /**
     * A customer save for a phone recipient (a new customer, numbered from the action id) and a
     * sales order for a customer of this data center.
     */
    @Override
    protected List<OutboundAction> actionSamples() {
        Map<String, Object> order = new HashMap<>();
        order.put("channelOrderNumber", "TB3920117745028870");
        order.put("date", "2024-05-20");
        order.put("lines", List.of(Map.of("material", "SKU-RUN-42", "qty", 1, "price", "399.00")));
        return List.of(
                new OutboundAction("journey-7:step-2:cust-42", KingdeeActionSender.CUSTOMER_SAVE,
                        Identity.phone("+8613912345678"), Map.of("name", "王小明")),
                new OutboundAction("journey-9:step-1:order-TB3920117745028870", KingdeeActionSender.SALES_ORDER_SAVE,
                        Identity.of(IdentityTypes.ERP_CUSTOMER, "CUST0231", ACCT_ID), order));
    }

    /**
     * Kingdee answers over HTTP 200 with a {@code ResponseStatus}, or an IIS error page when the ERP
     * behind it fails. The login and the look-up before each save answer as usual (no record yet);
     * the {@code Save} answers:
     * <ul>
     *   <li>{@code ACCEPTED}: the saved customer's number or order's bill number;</li>
     *   <li>{@code SERVER_ERROR}: HTTP 500 with IIS's HTML page;</li>
     *   <li>{@code RATE_LIMITED}: MsgCode 14, "接口调用次数超过限制" (the call limit; Kingdee states no wait);</li>
     *   <li>{@code REJECTED}: {@code IsSuccess:false}, MsgCode 11, the fields Kingdee refuses.</li>
     * </ul>
     */
    @Override
    protected void stubActionAnswer(WireMock channel, ActionAnswer answer) {
        stubLogin();
        stub(KingdeeStubs.query("BD_Customer").withRequestBody(matchingJsonPath("$.data.FieldKeys", equalTo("FCUSTID,FNumber"))),
                okJson("[]"));
        stub(KingdeeStubs.query("SAL_SaleOrder").withRequestBody(matchingJsonPath("$.data.FieldKeys", equalTo("FID,FBillNo"))),
                okJson("[]"));
        for (String form : List.of("BD_Customer", "SAL_SaleOrder")) {
            stub(KingdeeStubs.save(form).withHeader("Content-Type", equalTo("application/json;charset=UTF-8")),
                    switch (answer) {
                        case ACCEPTED -> KingdeeStubs.json(form.equals("BD_Customer") ? "api/save-customer-ok.json" : "api/save-order-ok.json");
                        case SERVER_ERROR -> KingdeeStubs.serverError();
                        case RATE_LIMITED -> KingdeeStubs.json("api/call-limit-save.json");
                        case REJECTED -> KingdeeStubs.json(form.equals("BD_Customer") ? "api/save-customer-refused.json" : "api/save-failed.json");
                    });
        }
    }

    /**
     * What {@code action-idempotency-key} checks apart from the action id: each sample, accepted and
     * sent again, returns the saved number and no secret, having called Kingdee.
     */
    @Test
    void aRepeatedActionIsAcceptedAgainWithoutSecrets() {
        stubActionAnswer(channel().getRuntimeInfo().getWireMock(), ActionAnswer.ACCEPTED);
        Map<String, String> config = validConfig(channelBaseUrl());
        List<String> secrets = new ArrayList<>();
        expectedSecretKeys().stream().map(config::get).filter(v -> v != null).forEach(secrets::add);
        try (ConnectorInstance instance = openInstance(config)) {
            ActionSender sender = instance.actions().orElseThrow();
            for (OutboundAction action : actionSamples()) {
                for (int attempt = 0; attempt < 2; attempt++) {
                    channel().resetRequests();
                    ActionResult result = sender.send(action);
                    assertThat(result.channelReference()).isIn("CUST0233", "XSDD000872");
                    assertThat(secrets).noneMatch(secret -> (result.channelReference() + result.detail()).contains(secret));
                    assertThat(channel().getAllServeEvents()).anySatisfy(event ->
                            assertThat(event.getRequest().getUrl()).endsWith(".Save.common.kdsvc"));
                }
            }
        }
    }
}
