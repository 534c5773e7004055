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
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.TestConnectorContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
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
                + "\",\"OrderString\":\"FModifyDate ASC," + idField + " ASC\",\"TopRowCount\":0,\"StartRow\":0,\"Limit\":" + limit + "}}";
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
                .withRequestBody(equalToJson(queryBody("BD_Customer", CUSTOMER_KEYS, "FModifyDate>='2024-05-01 00:00:00'", "FCUSTID", 2)))
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
        assertThat(result.nextCheckpoint()).isEqualTo(
                "{\"v\":1,\"BD_Customer\":{\"since\":\"2024-05-20T10:15:30.123\",\"seen\":[\"100231\",\"100232\"]}}");
    }

    @Test
    void nextPollAsksFromTheWatermarkAndSkipsTheRowsAlreadySeenThere() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(withSession(query("BD_Customer"))
                .withRequestBody(equalToJson(queryBody("BD_Customer", CUSTOMER_KEYS, "FModifyDate>='2024-05-20 10:15:30.123'", "FCUSTID", 4)))
                .willReturn(rows(List.of(
                        customerRow(100231, "CUST0231", "杭州蓝湖贸易有限公司", "13912345678", "2024-05-20T10:15:30.123"),
                        customerRow(100232, "CUST0232", "王小明", "021-58881234", "2024-05-20T10:15:30.123"),
                        customerRow(100240, "CUST0240", "李娜", "13800138000", "2024-05-20T11:00:00")))));
        String checkpoint = "{\"v\":1,\"BD_Customer\":{\"since\":\"2024-05-20T10:15:30.123\",\"seen\":[\"100231\",\"100232\"]}}";

        PollResult result = poller(context(customersOnly(wm.baseUrl(), 2))).poll(Optional.of(checkpoint));

        assertThat(result.records()).extracting(RawRecord::key).containsExactly("BD_Customer:100240");
        assertThat(result.hasMore()).as("3 rows for a limit of 4").isFalse();
        assertThat(result.nextCheckpoint()).isEqualTo("{\"v\":1,\"BD_Customer\":{\"since\":\"2024-05-20T11:00:00\",\"seen\":[\"100240\"]}}");
        assertThat(KingdeeCheckpoint.parse(result.nextCheckpoint()).isAtOrAfter(KingdeeCheckpoint.parse(checkpoint))).isTrue();
    }

    @Test
    void withoutSyncStartTheFirstPollReadsFromTheBeginning() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(withSession(query("BD_Customer"))
                .withRequestBody(equalToJson(queryBody("BD_Customer", CUSTOMER_KEYS, "", "FCUSTID", 1000)))
                .willReturn(rows(List.of())));

        PollResult result = poller(context(customersOnly(wm.baseUrl(), 1000))).poll(Optional.empty());

        assertThat(result.records()).isEmpty();
        assertThat(result.hasMore()).isFalse();
        assertThat(result.nextCheckpoint()).isEqualTo("{\"v\":1,\"BD_Customer\":{\"since\":null,\"seen\":[]}}");
    }

    @Test
    void customersArePolledBeforeOrdersAndTheCheckpointHoldsBothWatermarks() {
        wm.stubFor(validateUser().willReturn(loginOk()));
        wm.stubFor(withSession(query("BD_Customer"))
                .withRequestBody(equalToJson(queryBody("BD_Customer", CUSTOMER_KEYS, "FModifyDate>='2024-05-20 00:00:00'", "FCUSTID", 1000)))
                .willReturn(rows(List.<List<Object>>of(
                        customerRow(100231, "CUST0231", "杭州蓝湖贸易有限公司", "13912345678", "2024-05-20T10:15:30.123")))));
        wm.stubFor(withSession(query("SAL_SaleOrder"))
                .withRequestBody(equalToJson(queryBody("SAL_SaleOrder", ORDER_KEYS, "FModifyDate>='2024-05-20 00:00:00'", "FID", 1000)))
                .willReturn(rows(List.<List<Object>>of(Arrays.asList(100871, "XSDD000871", "2024-05-20T00:00:00", "CUST0231",
                        "杭州蓝湖贸易有限公司", new java.math.BigDecimal("1234.56"), "PRE001", "2024-05-20T11:02:10.457",
                        "2024-05-20T11:05:00", "C", "A", "A", "100", "TB3920117745028866")))));
        Map<String, String> config = KingdeeFixtures.passwordConfig(wm.baseUrl());
        config.put("sync-start", "2024-05-20");
        TestConnectorContext ctx = context(config);

        PollResult result = poller(ctx).poll(Optional.empty());

        assertThat(result.records()).extracting(RawRecord::key).containsExactly("BD_Customer:100231", "SAL_SaleOrder:100871");
        RawRecord order = result.records().get(1);
        assertThat(order.attributes()).containsEntry("orderNumberField", "F_OMNI_ChannelOrderNo");
        assertThat(payload(order).path("FBillAllAmount").decimalValue()).isEqualByComparingTo("1234.56");
        assertThat(payload(order).path("F_OMNI_ChannelOrderNo").asText()).isEqualTo("TB3920117745028866");
        assertThat(result.nextCheckpoint()).isEqualTo("{\"v\":1,"
                + "\"BD_Customer\":{\"since\":\"2024-05-20T10:15:30.123\",\"seen\":[\"100231\"]},"
                + "\"SAL_SaleOrder\":{\"since\":\"2024-05-20T11:05:00\",\"seen\":[\"100871\"]}}");
        List<CustomerEvent> events = new ArrayList<>();
        KingdeeNormalizer normalizer = new KingdeeNormalizer("erp", "kingdee-main", KingdeeConfig.from(ctx.config()));
        result.records().forEach(r -> events.addAll(normalizer.normalize(r)));
        assertThat(events).extracting(CustomerEvent::type).containsExactly("profile.updated", "order.created");
        wm.verify(2, postRequestedFor(urlPathEqualTo(EXECUTE_BILL_QUERY)));
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
        TestConnectorContext base = context(customersOnly("http://erp.example.com", pageSize));
        HubNode node = new HubNode(base, base.tokens(), erp);
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
        assertThat(last.mark(KingdeeForm.CUSTOMER).orElseThrow().seen()).hasSize(10);

        // A later change moves the watermark on, and the boundary ids are forgotten.
        erp.customer(200_100, "CUST-NEW", "新客户", "13700001111", "2024-05-20T09:30:00");
        Run next = drain(fakePoller(erp, 3), Optional.of(run.checkpoints().get(run.checkpoints().size() - 1)));
        assertThat(next.records()).extracting(RawRecord::key).containsExactly("BD_Customer:200100");
        assertThat(KingdeeCheckpoint.parse(next.checkpoints().get(0)).mark(KingdeeForm.CUSTOMER).orElseThrow().seen())
                .containsExactly("200100");
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
}
