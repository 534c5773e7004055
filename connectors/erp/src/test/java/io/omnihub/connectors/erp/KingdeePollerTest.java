package io.omnihub.connectors.erp;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.erp.KingdeeFixtures.ACCT_ID;
import static io.omnihub.connectors.erp.KingdeeFixtures.EXECUTE_BILL_QUERY;
import static io.omnihub.connectors.erp.KingdeeFixtures.NOW;
import static io.omnihub.connectors.erp.KingdeeFixtures.context;
import static io.omnihub.connectors.erp.KingdeeStubs.loginOk;
import static io.omnihub.connectors.erp.KingdeeStubs.query;
import static io.omnihub.connectors.erp.KingdeeStubs.rows;
import static io.omnihub.connectors.erp.KingdeeStubs.validateUser;
import static io.omnihub.connectors.erp.KingdeeStubs.withSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Order;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connectors.erp.KingdeeCheckpoint.Track;
import io.omnihub.testkit.TestConnectorContext;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class KingdeePollerTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String CUSTOMER_KEYS = "FCUSTID,FNumber,FName,FShortName,FTEL,FADDRESS,FCreateDate,FModifyDate,"
            + "FDocumentStatus,FForbidStatus,FUseOrgId.FNumber";
    private static final String ORDER_KEYS = "FID,FBillNo,FDate,FCustId.FNumber,FCustId.FName,FBillAllAmount,"
            + "FSettleCurrId.FNumber,FCreateDate,FModifyDate,FDocumentStatus,FCloseStatus,FCancelStatus,FSaleOrgId.FNumber,"
            + "F_OMNI_ChannelOrderNo";

    private static List<Object> customerRow(long id, String number, String name, String tel, String modified) {
        return Arrays.asList(id, number, name, null, tel, null, "2024-05-01T09:00:00", modified, "C", "A", "100");
    }

    private static String queryBody(String form, String keys, String filter, String idField, int limit) {
        return "{\"data\":{\"FormId\":\"" + form + "\",\"FieldKeys\":\"" + keys + "\",\"FilterString\":\"" + filter
                + "\",\"OrderString\":\"FModifyDate ASC,FCreateDate ASC," + idField
                + " ASC\",\"TopRowCount\":0,\"StartRow\":0,\"Limit\":" + limit + "}}";
    }

    /**
     * The FilterString for rows modified from {@code modifiedFrom} or never modified and created from
     * {@code createdFrom}, Kingdee literals; {@code null} for no bound (a date is still required).
     */
    static String filter(String modifiedFrom, String createdFrom) {
        return "(" + (modifiedFrom == null ? "FModifyDate IS NOT NULL" : "FModifyDate>='" + modifiedFrom + "'")
                + " OR (FModifyDate IS NULL AND " + (createdFrom == null ? "FCreateDate IS NOT NULL" : "FCreateDate>='" + createdFrom + "'")
                + "))";
    }

    private static KingdeePoller poller(TestConnectorContext ctx) {
        KingdeeConfig config = KingdeeConfig.from(ctx.config());
        return new KingdeePoller(ctx, config, new KingdeeApiClient(ctx, config));
    }

    private static Map<String, String> customersOnly(String baseUrl, int pageSize) {
        Map<String, String> config = KingdeeFixtures.passwordConfig(baseUrl);
        config.put("poll-forms", "BD_Customer");
        config.put("page-size", Integer.toString(pageSize));
        return config;
    }

    private static JsonNode payload(RawRecord record) {
        try {
            return KingdeeApiClient.JSON.readTree(record.payload());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the exact protocol, against WireMock ----------------------------------------------------

    @Test
    void firstPollStartsAtSyncStartAndMapsRowsByFieldKeyPosition() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(withSession(query("BD_Customer"))
                .withRequestBody(equalToJson(queryBody("BD_Customer", CUSTOMER_KEYS,
                        filter("2024-05-01 00:00:00", "2024-05-01 00:00:00"), "FCUSTID", 2)))
                .willReturn(rows(List.of(
                        customerRow(100231, "CUST0231", "杭州蓝湖贸易有限公司", "13912345678", "2024-05-20T10:15:30.123"),
                        customerRow(100232, "CUST0232", "王小明", "021-58881234", "2024-05-20T10:15:30.123")))));
        Map<String, String> config = customersOnly(wm.baseUrl(), 2);
        config.put("sync-start", "2024-05-01");

        PollResult result = poller(context(config)).poll(Optional.empty());

        assertThat(result.records()).extracting(RawRecord::key).containsExactly("BD_Customer:100231", "BD_Customer:100232");
        RawRecord first = result.records().get(0);
        assertThat(first.contentType()).isEqualTo("application/json");
        assertThat(first.attributes()).containsEntry("form", "BD_Customer").containsEntry("acctId", ACCT_ID);
        assertThat(first.receivedAt()).isEqualTo(NOW);
        JsonNode row = payload(first);
        assertThat(row.path("FCUSTID").asLong()).isEqualTo(100231);
        assertThat(row.path("FName").asText()).isEqualTo("杭州蓝湖贸易有限公司");
        assertThat(row.path("FTEL").asText()).isEqualTo("13912345678");
        assertThat(row.path("FModifyDate").asText()).isEqualTo("2024-05-20T10:15:30.123");
        assertThat(row.path("FUseOrgId.FNumber").asText()).isEqualTo("100");
        assertThat(result.hasMore()).as("a full page").isTrue();
        assertThat(result.nextCheckpoint()).as("the next query starts sync-lag (3 minutes) before the newest row").isEqualTo(
                "{\"v\":2,\"BD_Customer\":{"
                        + "\"modified\":{\"since\":\"2024-05-20T10:15:30.123\",\"from\":\"2024-05-20T10:12:30.123\","
                        + "\"seen\":{\"2024-05-20T10:15:30.123\":[\"100231\",\"100232\"]}},"
                        + "\"created\":{\"since\":\"2024-05-01T00:00:00\",\"from\":\"2024-05-01T00:00:00\",\"seen\":{}}}}");
    }

    @Test
    void nextPollAsksFromSyncLagBeforeTheWatermarkAndSkipsTheRowsAlreadySeen() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(withSession(query("BD_Customer"))
                .withRequestBody(equalToJson(queryBody("BD_Customer", CUSTOMER_KEYS,
                        filter("2024-05-20 10:12:30.123", "2024-05-01 00:00:00"), "FCUSTID", 5)))
                .willReturn(rows(List.of(
                        customerRow(100229, "CUST0229", "周杰", "13600001111", "2024-05-20T10:14:00"),
                        customerRow(100231, "CUST0231", "杭州蓝湖贸易有限公司", "13912345678", "2024-05-20T10:15:30.123"),
                        customerRow(100232, "CUST0232", "王小明", "021-58881234", "2024-05-20T10:15:30.123"),
                        customerRow(100240, "CUST0240", "李娜", "13800138000", "2024-05-20T11:00:00")))));
        String checkpoint = "{\"v\":2,\"BD_Customer\":{"
                + "\"modified\":{\"since\":\"2024-05-20T10:15:30.123\",\"from\":\"2024-05-20T10:12:30.123\","
                + "\"seen\":{\"2024-05-20T10:14:00\":[\"100229\"],\"2024-05-20T10:15:30.123\":[\"100231\",\"100232\"]}},"
                + "\"created\":{\"since\":\"2024-05-01T00:00:00\",\"from\":\"2024-05-01T00:00:00\",\"seen\":{}}}}";

        PollResult result = poller(context(customersOnly(wm.baseUrl(), 2))).poll(Optional.of(checkpoint));

        assertThat(result.records()).extracting(RawRecord::key).containsExactly("BD_Customer:100240");
        assertThat(result.hasMore()).as("4 rows for a limit of 2 + 3 seen").isFalse();
        assertThat(result.nextCheckpoint()).as("what lies before the new start is forgotten").isEqualTo("{\"v\":2,\"BD_Customer\":{"
                + "\"modified\":{\"since\":\"2024-05-20T11:00:00\",\"from\":\"2024-05-20T10:57:00\",\"seen\":{\"2024-05-20T11:00:00\":[\"100240\"]}},"
                + "\"created\":{\"since\":\"2024-05-01T00:00:00\",\"from\":\"2024-05-01T00:00:00\",\"seen\":{}}}}");
        assertThat(KingdeeCheckpoint.parse(result.nextCheckpoint()).isAtOrAfter(KingdeeCheckpoint.parse(checkpoint))).isTrue();
        assertThat(KingdeeCheckpoint.parse(checkpoint).isAtOrAfter(KingdeeCheckpoint.parse(result.nextCheckpoint()))).isFalse();
    }

    @Test
    void aVersionOneCheckpointResumesFromItsWatermarkAndStartsTheNeverModifiedRowsAtSyncStart() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(withSession(query("BD_Customer"))
                .withRequestBody(equalToJson(queryBody("BD_Customer", CUSTOMER_KEYS,
                        filter("2024-05-20 10:15:30.123", "2024-05-01 00:00:00"), "FCUSTID", 4)))
                .willReturn(rows(List.of(
                        customerRow(100231, "CUST0231", "杭州蓝湖贸易有限公司", "13912345678", "2024-05-20T10:15:30.123"),
                        customerRow(100232, "CUST0232", "王小明", "021-58881234", "2024-05-20T10:15:30.123")))));
        Map<String, String> config = customersOnly(wm.baseUrl(), 2);
        config.put("sync-start", "2024-05-01");
        String versionOne = "{\"v\":1,\"BD_Customer\":{\"since\":\"2024-05-20T10:15:30.123\",\"seen\":[\"100231\",\"100232\"]}}";

        PollResult result = poller(context(config)).poll(Optional.of(versionOne));

        assertThat(result.records()).isEmpty();
        assertThat(result.hasMore()).isFalse();
        assertThat(KingdeeCheckpoint.parse(result.nextCheckpoint()).isAtOrAfter(KingdeeCheckpoint.parse(versionOne))).isTrue();
    }

    @Test
    void withoutSyncStartTheFirstPollReadsFromTheBeginning() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(withSession(query("BD_Customer"))
                .withRequestBody(equalToJson(queryBody("BD_Customer", CUSTOMER_KEYS, filter(null, null), "FCUSTID", 1000)))
                .willReturn(rows(List.of())));

        PollResult result = poller(context(customersOnly(wm.baseUrl(), 1000))).poll(Optional.empty());

        assertThat(result.records()).isEmpty();
        assertThat(result.hasMore()).isFalse();
        assertThat(result.nextCheckpoint()).isEqualTo("{\"v\":2,\"BD_Customer\":{"
                + "\"modified\":{\"since\":null,\"from\":null,\"seen\":{}},\"created\":{\"since\":null,\"from\":null,\"seen\":{}}}}");
    }

    @Test
    void customersArePolledBeforeOrdersAndTheCheckpointHoldsBothWatermarks() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(withSession(query("BD_Customer"))
                .withRequestBody(equalToJson(queryBody("BD_Customer", CUSTOMER_KEYS,
                        filter("2024-05-20 00:00:00", "2024-05-20 00:00:00"), "FCUSTID", 1000)))
                .willReturn(rows(List.<List<Object>>of(
                        customerRow(100231, "CUST0231", "杭州蓝湖贸易有限公司", "13912345678", "2024-05-20T10:15:30.123")))));
        wm.stubFor(withSession(query("SAL_SaleOrder"))
                .withRequestBody(equalToJson(queryBody("SAL_SaleOrder", ORDER_KEYS,
                        filter("2024-05-20 00:00:00", "2024-05-20 00:00:00"), "FID", 1000)))
                .willReturn(rows(List.<List<Object>>of(Arrays.asList(100871, "XSDD000871", "2024-05-20T00:00:00", "CUST0231",
                        "杭州蓝湖贸易有限公司", new java.math.BigDecimal("1234.56"), "PRE001", "2024-05-20T11:02:10.457",
                        "2024-05-20T11:05:00", "C", "A", "A", "100", "TB3920117745028866")))));
        wm.stubFor(withSession(query("SAL_SaleOrder"))
                .withRequestBody(equalToJson("{\"data\":{\"FormId\":\"SAL_SaleOrder\",\"FieldKeys\":\"FID,FSaleOrderEntry_FEntryID,"
                        + "FMaterialId.FNumber,FMaterialId.FName,FQty,FTaxPrice,FAllAmount,FMaterialId.FMaterialGroup.FNumber\","
                        + "\"FilterString\":\"FID IN (100871)\",\"OrderString\":\"FID ASC,FSaleOrderEntry_FEntryID ASC\","
                        + "\"TopRowCount\":0,\"StartRow\":0,\"Limit\":2000}}"))
                .willReturn(rows(List.<List<Object>>of(
                        Arrays.asList(100871, 100872, "SKU-WATCH-1", "智能手表 心率监测", new java.math.BigDecimal("1.0000000000"),
                                new java.math.BigDecimal("1099.000000"), new java.math.BigDecimal("1099.00"), "WEAR"),
                        Arrays.asList(100871, 100873, "CABLE-M", "充电线 按米", new java.math.BigDecimal("2.5000000000"),
                                new java.math.BigDecimal("53.824000"), new java.math.BigDecimal("134.56"), null)))));
        Map<String, String> config = KingdeeFixtures.passwordConfig(wm.baseUrl());
        config.put("sync-start", "2024-05-20");
        TestConnectorContext ctx = context(config);

        PollResult result = poller(ctx).poll(Optional.empty());

        assertThat(result.records()).extracting(RawRecord::key).containsExactly("BD_Customer:100231", "SAL_SaleOrder:100871");
        RawRecord order = result.records().get(1);
        assertThat(order.attributes()).containsEntry("orderNumberField", "F_OMNI_ChannelOrderNo");
        assertThat(payload(order).path("FBillAllAmount").decimalValue()).isEqualByComparingTo("1234.56");
        assertThat(payload(order).path("F_OMNI_ChannelOrderNo").asText()).isEqualTo("TB3920117745028866");
        assertThat(result.nextCheckpoint()).isEqualTo("{\"v\":2,"
                + "\"BD_Customer\":{\"modified\":{\"since\":\"2024-05-20T10:15:30.123\",\"from\":\"2024-05-20T10:12:30.123\","
                + "\"seen\":{\"2024-05-20T10:15:30.123\":[\"100231\"]}},"
                + "\"created\":{\"since\":\"2024-05-20T00:00:00\",\"from\":\"2024-05-20T00:00:00\",\"seen\":{}}},"
                + "\"SAL_SaleOrder\":{\"modified\":{\"since\":\"2024-05-20T11:05:00\",\"from\":\"2024-05-20T11:02:00\","
                + "\"seen\":{\"2024-05-20T11:05:00\":[\"100871\"]}},"
                + "\"created\":{\"since\":\"2024-05-20T00:00:00\",\"from\":\"2024-05-20T00:00:00\",\"seen\":{}}}}");
        List<CustomerEvent> events = new ArrayList<>();
        KingdeeNormalizer normalizer = new KingdeeNormalizer("erp", "kingdee-main", KingdeeConfig.from(ctx.config()));
        result.records().forEach(r -> events.addAll(normalizer.normalize(r)));
        assertThat(events).extracting(CustomerEvent::type).containsExactly("profile.updated", "order.created");
        assertThat(events.get(1).data().order().lines()).as("the entry's lines; 2.5 metres as one line at its amount")
                .containsExactly(new Order.OrderLine("SKU-WATCH-1", "智能手表 心率监测", 1, 109900, "WEAR"),
                        new Order.OrderLine("CABLE-M", "充电线 按米", 1, 13456, null));
        wm.verify(3, postRequestedFor(urlPathEqualTo(EXECUTE_BILL_QUERY)));
    }

    @Test
    void aDamagedCheckpointIsAConfigErrorRatherThanAGuess() {
        assertThatThrownBy(() -> poller(context(customersOnly(wm.baseUrl(), 10))).poll(Optional.of("{\"offset\":12}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("checkpoint");
        wm.verify(0, postRequestedFor(urlPathEqualTo(EXECUTE_BILL_QUERY)));
    }

    @Test
    void theHubWaitsThePollIntervalBetweenQuietPolls() {
        Map<String, String> config = customersOnly(wm.baseUrl(), 10);
        config.put("poll-interval", "90s");

        assertThat(poller(context(config)).interval()).isEqualTo(Duration.ofSeconds(90));
    }

    // ---- properties, against an in-memory Kingdee ---------------------------------------------------

    private record Run(List<RawRecord> records, List<String> checkpoints) {
    }

    private static KingdeePoller fakePoller(FakeKingdee erp, int pageSize) {
        return fakePoller(erp, customersOnly("http://erp.example.com", pageSize));
    }

    private static KingdeePoller fakePoller(FakeKingdee erp, Map<String, String> settings) {
        TestConnectorContext base = context(settings);
        TestConnectorContext node = base.withHttp(erp);
        KingdeeConfig config = KingdeeConfig.from(node.config());
        return new KingdeePoller(node, config, new KingdeeApiClient(node, config));
    }

    /** Polls as the hub does: again at once while hasMore, committing each checkpoint. */
    private static Run drain(KingdeePoller poller, Optional<String> from) {
        List<RawRecord> records = new ArrayList<>();
        List<String> checkpoints = new ArrayList<>();
        Optional<String> checkpoint = from;
        for (int i = 0; i < 100; i++) {
            PollResult result = poller.poll(checkpoint);
            records.addAll(result.records());
            checkpoints.add(result.nextCheckpoint());
            checkpoint = Optional.of(result.nextCheckpoint());
            if (!result.hasMore()) {
                return new Run(records, checkpoints);
            }
        }
        throw new AssertionError("polling never finished");
    }

    private static FakeKingdee busyErp() {
        FakeKingdee erp = new FakeKingdee();
        for (int i = 0; i < 23; i++) {
            // Groups of up to four customers share one modification time, as a batch save leaves them.
            erp.customer(100_000 + i, "CUST" + i, "客户" + i, "139" + String.format("%08d", i),
                    String.format("2024-05-20T%02d:%02d:00", 8 + i / 8, (i / 4) * 5));
        }
        return erp;
    }

    @Test
    void checkpointsOnlyMoveForwardAndEveryRecordArrivesOnce() {
        FakeKingdee erp = busyErp();

        Run run = drain(fakePoller(erp, 3), Optional.empty());

        assertThat(run.records()).extracting(RawRecord::key).doesNotHaveDuplicates().hasSize(23);
        for (int i = 1; i < run.checkpoints().size(); i++) {
            assertThat(KingdeeCheckpoint.parse(run.checkpoints().get(i)).isAtOrAfter(KingdeeCheckpoint.parse(run.checkpoints().get(i - 1))))
                    .as("checkpoint %d after %d", i, i - 1).isTrue();
        }
        assertThat(erp.queries()).allSatisfy(q -> assertThat(q.path("StartRow").asInt()).isZero());
    }

    @Test
    void pollingAgainFromAnOlderCheckpointRepeatsTheSameRecordsWithTheSameEventIds() {
        FakeKingdee erp = busyErp();
        KingdeePoller poller = fakePoller(erp, 5);
        PollResult first = poller.poll(Optional.empty());
        PollResult second = poller.poll(Optional.of(first.nextCheckpoint()));

        // The hub crashed before committing the second checkpoint: it offers the first one again.
        PollResult repeated = fakePoller(erp, 5).poll(Optional.of(first.nextCheckpoint()));

        assertThat(repeated.records()).extracting(RawRecord::key).containsExactlyElementsOf(
                second.records().stream().map(RawRecord::key).toList());
        assertThat(repeated.nextCheckpoint()).isEqualTo(second.nextCheckpoint());
        KingdeeNormalizer normalizer = new KingdeeNormalizer("erp", "kingdee-main",
                KingdeeFixtures.config(customersOnly("http://erp.example.com", 5)));
        assertThat(ids(normalizer, repeated.records())).isNotEmpty().isEqualTo(ids(normalizer, second.records()));
    }

    private static List<String> ids(KingdeeNormalizer normalizer, List<RawRecord> records) {
        return records.stream().flatMap(r -> normalizer.normalize(r).stream()).map(CustomerEvent::id).toList();
    }

    @Test
    void moreRecordsAtOneInstantThanAPageHoldStillMakeProgress() {
        FakeKingdee erp = new FakeKingdee();
        for (int i = 0; i < 10; i++) {
            erp.customer(200_000 + i, "BULK" + i, "导入客户" + i, null, "2024-05-20T09:00:00");
        }

        Run run = drain(fakePoller(erp, 3), Optional.empty());

        assertThat(run.records()).extracting(RawRecord::key).doesNotHaveDuplicates().hasSize(10);
        KingdeeCheckpoint last = KingdeeCheckpoint.parse(run.checkpoints().get(run.checkpoints().size() - 1));
        assertThat(last.mark(KingdeeForm.CUSTOMER, Track.MODIFIED).orElseThrow().seenCount()).isEqualTo(10);

        // A later change moves the watermark on, and the boundary ids are forgotten.
        erp.customer(200_100, "CUST-NEW", "新客户", "13700001111", "2024-05-20T09:30:00");
        Run next = drain(fakePoller(erp, 3), Optional.of(run.checkpoints().get(run.checkpoints().size() - 1)));
        assertThat(next.records()).extracting(RawRecord::key).containsExactly("BD_Customer:200100");
        assertThat(KingdeeCheckpoint.parse(next.checkpoints().get(0)).mark(KingdeeForm.CUSTOMER, Track.MODIFIED).orElseThrow().seen())
                .as("09:00 is more than sync-lag before 09:30").containsOnlyKeys(LocalDateTime.parse("2024-05-20T09:30:00"))
                .containsValue(new TreeSet<>(Set.of("200100")));
    }

    @Test
    void aRecordSavedAgainIsPolledAgainAsANewVersion() {
        FakeKingdee erp = busyErp();
        Run run = drain(fakePoller(erp, 50), Optional.empty());
        String committed = run.checkpoints().get(run.checkpoints().size() - 1);

        erp.touchCustomer(100_003, "2024-05-20T12:00:00");
        Run next = drain(fakePoller(erp, 50), Optional.of(committed));

        assertThat(next.records()).extracting(RawRecord::key).containsExactly("BD_Customer:100003");
        KingdeeNormalizer normalizer = new KingdeeNormalizer("erp", "kingdee-main",
                KingdeeFixtures.config(customersOnly("http://erp.example.com", 50)));
        Set<String> before = new HashSet<>(ids(normalizer, run.records()));
        assertThat(ids(normalizer, next.records())).allSatisfy(id -> assertThat(before).doesNotContain(id));
    }

    @Test
    void nothingNewLeavesTheCheckpointAsItWas() {
        FakeKingdee erp = busyErp();
        Run run = drain(fakePoller(erp, 50), Optional.empty());
        String committed = run.checkpoints().get(run.checkpoints().size() - 1);

        PollResult quiet = fakePoller(erp, 50).poll(Optional.of(committed));

        assertThat(quiet.records()).isEmpty();
        assertThat(quiet.hasMore()).isFalse();
        assertThat(quiet.nextCheckpoint()).isEqualTo(committed);
    }

    // ---- never-modified rows, late rows, edited orders ----------------------------------------------

    private static List<String> keys(Run run) {
        return run.records().stream().map(RawRecord::key).toList();
    }

    private static String last(Run run) {
        return run.checkpoints().get(run.checkpoints().size() - 1);
    }

    @ParameterizedTest(name = "NULL sorted {0}")
    @ValueSource(strings = {"first (SQL Server)", "last (Oracle)"})
    void neverModifiedRecordsSpanningMoreThanAPageAllArriveOnceAndPollingEnds(String nulls) {
        FakeKingdee erp = new FakeKingdee();
        if (nulls.startsWith("last")) {
            erp.nullsLast();
        }
        // Seven imported customers never modified since (FModifyDate empty), four created at one instant ...
        for (int i = 0; i < 7; i++) {
            erp.customer(300_000 + i, "IMP" + i, "导入客户" + i, null, i < 4 ? "2024-05-01T08:00:00" : "2024-05-0" + i + "T09:00:00", null);
        }
        // ... among customers saved the usual way, some modified before the imports were created, some after.
        erp.customer(300_100, "CUST100", "客户100", null, "2024-04-30T10:00:00", "2024-04-30T10:00:00");
        erp.customer(300_101, "CUST101", "客户101", null, "2024-04-30T10:00:00", "2024-05-03T10:00:00");
        erp.customer(300_102, "CUST102", "客户102", null, "2024-05-04T10:00:00", "2024-05-08T10:00:00");

        Run run = drain(fakePoller(erp, 3), Optional.empty());

        assertThat(keys(run)).doesNotHaveDuplicates().hasSize(10)
                .contains("BD_Customer:300000", "BD_Customer:300003", "BD_Customer:300006", "BD_Customer:300102");
        Run quiet = drain(fakePoller(erp, 3), Optional.of(last(run)));
        assertThat(quiet.records()).isEmpty();
    }

    @Test
    void aNeverModifiedRecordCreatedAfterTheFirstPollIsDelivered() {
        FakeKingdee erp = busyErp();
        Run run = drain(fakePoller(erp, 50), Optional.empty());

        // Created after the first poll and not modified since: Kingdee leaves FModifyDate empty.
        erp.customer(100_500, "CUST0500", "新导入客户", "13600006666", "2024-05-20T13:00:00", null);
        Run next = drain(fakePoller(erp, 50), Optional.of(last(run)));

        assertThat(keys(next)).containsExactly("BD_Customer:100500");
        KingdeeNormalizer normalizer = new KingdeeNormalizer("erp", "kingdee-main",
                KingdeeFixtures.config(customersOnly("http://erp.example.com", 50)));
        assertThat(ids(normalizer, next.records())).containsExactly("erp:" + ACCT_ID + ":BD_Customer:100500:2024-05-20T13:00:00");
        assertThat(drain(fakePoller(erp, 50), Optional.of(last(next))).records()).as("once").isEmpty();

        // Modified later, it is a new version on the modification watermark.
        erp.touchCustomer(100_500, "2024-05-20T14:00:00");
        assertThat(keys(drain(fakePoller(erp, 50), Optional.of(last(next))))).containsExactly("BD_Customer:100500");
    }

    @Test
    void aRowCommittedLateWithinSyncLagIsDeliveredAndOneOlderThanThatIsNot() {
        FakeKingdee erp = busyErp();
        Run run = drain(fakePoller(erp, 50), Optional.empty());
        assertThat(KingdeeCheckpoint.parse(last(run)).mark(KingdeeForm.CUSTOMER, Track.MODIFIED).orElseThrow().since())
                .isEqualTo(LocalDateTime.parse("2024-05-20T10:25:00"));

        // A long save stamped 10:23 committed after the poll had passed 10:25: 2 minutes late, within the default 3.
        erp.customer(100_600, "CUST0600", "晚到客户", "13500005555", "2024-05-20T10:23:00");
        // One stamped 10:21 is 4 minutes behind: beyond sync-lag, missed as by any watermark.
        erp.customer(100_601, "CUST0601", "太晚客户", "13500005556", "2024-05-20T10:21:00");
        Run next = drain(fakePoller(erp, 50), Optional.of(last(run)));

        assertThat(keys(next)).containsExactly("BD_Customer:100600");
        assertThat(drain(fakePoller(erp, 50), Optional.of(last(next))).records()).as("once").isEmpty();

    }

    @Test
    void aLongerSyncLagReachesFurtherBackAndZeroReadsFromTheWatermarkItself() {
        Map<String, String> longer = customersOnly("http://erp.example.com", 50);
        longer.put("sync-lag", "10m");
        Map<String, String> none = customersOnly("http://erp.example.com", 50);
        none.put("sync-lag", "0");
        for (Map<String, String> config : List.of(longer, none)) {
            FakeKingdee erp = busyErp();
            Run run = drain(fakePoller(erp, config), Optional.empty());
            erp.customer(100_600, "CUST0600", "晚到客户", "13500005555", "2024-05-20T10:23:00");
            erp.customer(100_601, "CUST0601", "太晚客户", "13500005556", "2024-05-20T10:21:00");

            Run next = drain(fakePoller(erp, config), Optional.of(last(run)));

            assertThat(keys(next)).as("sync-lag " + config.get("sync-lag")).isEqualTo(config == longer
                    ? List.of("BD_Customer:100601", "BD_Customer:100600") : List.of());
        }
    }

    @Test
    void aBurstLargerThanAPageWithinSyncLagKeepsTheCheckpointSmallAndMissesNothing() {
        FakeKingdee erp = new FakeKingdee();
        for (int i = 0; i < 40; i++) {
            erp.customer(400_000 + i, "BURST" + i, "批改客户" + i, null, String.format("2024-05-20T09:00:%02d", i));
        }

        Run run = drain(fakePoller(erp, 5), Optional.empty());

        assertThat(keys(run)).doesNotHaveDuplicates().hasSize(40);
        assertThat(run.checkpoints()).allSatisfy(checkpoint -> assertThat(
                KingdeeCheckpoint.parse(checkpoint).mark(KingdeeForm.CUSTOMER, Track.MODIFIED).orElseThrow().seenCount())
                .as("ids kept").isLessThanOrEqualTo(5));
        for (int i = 1; i < run.checkpoints().size(); i++) {
            assertThat(KingdeeCheckpoint.parse(run.checkpoints().get(i)).isAtOrAfter(KingdeeCheckpoint.parse(run.checkpoints().get(i - 1))))
                    .as("checkpoint %d after %d", i, i - 1).isTrue();
        }
    }

    @Test
    void anEditedOpenOrderIsPolledAgainAndNormalizesToANewVersionWithTheNewTotal() {
        FakeKingdee erp = new FakeKingdee().order(100_871, "XSDD000871", "CUST0231", "1234.56",
                "2024-05-20T11:02:10.457", "2024-05-20T11:05:00");
        Map<String, String> config = KingdeeFixtures.passwordConfig("http://erp.example.com");
        config.put("poll-forms", "SAL_SaleOrder");
        config.remove("order-number-field");
        KingdeeNormalizer normalizer = new KingdeeNormalizer("erp", "kingdee-main", KingdeeFixtures.config(config));
        Run run = drain(fakePoller(erp, config), Optional.empty());
        List<CustomerEvent> first = run.records().stream().flatMap(r -> normalizer.normalize(r).stream()).toList();

        // Still open, the order is saved again with another amount.
        erp.order(100_871, "XSDD000871", "CUST0231", "1500.00", "2024-05-20T11:02:10.457", "2024-05-20T15:30:00");
        Run next = drain(fakePoller(erp, config), Optional.of(last(run)));
        List<CustomerEvent> edited = next.records().stream().flatMap(r -> normalizer.normalize(r).stream()).toList();

        assertThat(first).singleElement().satisfies(e -> assertThat(e.data().order().totalMinor()).isEqualTo(123456));
        assertThat(edited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("order.created");
            assertThat(e.id()).as("a new event the CRM applies").isNotEqualTo(first.get(0).id());
            assertThat(e.data().order().id()).isEqualTo("XSDD000871");
            assertThat(e.data().order().totalMinor()).isEqualTo(150000);
        });
        assertThat(drain(fakePoller(erp, config), Optional.of(last(next))).records()).as("once").isEmpty();
    }
}
