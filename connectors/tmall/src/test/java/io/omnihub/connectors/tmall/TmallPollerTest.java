package io.omnihub.connectors.tmall;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.tmall.TmallFixtures.NOW;
import static io.omnihub.connectors.tmall.TmallFixtures.config;
import static io.omnihub.connectors.tmall.TmallFixtures.context;
import static io.omnihub.connectors.tmall.TmallFixtures.json;
import static io.omnihub.connectors.tmall.TopGateway.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connectors.tmall.TmallCheckpoint.SyncPosition;
import io.omnihub.testkit.TestConnectorContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TmallPollerTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** Without sync-start the sync starts a day before the first poll: 2025-05-19 10:10:00 in Beijing. */
    private static final String DEFAULT_START = "2025-05-19 10:10:00";
    /** The hub's clock minus the default lag of 3 minutes: 2025-05-20 10:07:00 in Beijing. */
    private static final String HORIZON = "2025-05-20 10:07:00";
    private static final String BATCH_IDS = "7100000000000000001,7100000000000000002,7100000000000000005,"
            + "7100000000000000007,7100000000000000009";

    private TopGateway gateway;
    private TestConnectorContext ctx;

    @BeforeEach
    void setUp() {
        gateway = new TopGateway(wm.getRuntimeInfo().getWireMock());
    }

    private TmallPoller poller(Map<String, String> config) {
        ctx = context(config);
        TmallConfig tmall = TmallConfig.from(ctx.config());
        return new TmallPoller(ctx, tmall, new TopApiClient(ctx, tmall));
    }

    private static Map<String, String> syncOnly() {
        Map<String, String> config = config(TopGateway.url(wm.baseUrl()));
        config.put("tmc-enabled", "false");
        return config;
    }

    private static Map<String, String> tmcOnly() {
        Map<String, String> config = config(TopGateway.url(wm.baseUrl()));
        config.put("sync-enabled", "false");
        return config;
    }

    private MappingBuilder increment(String start, String end, int page) {
        return gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET)
                .withFormParam("fields", equalTo(TopApiClient.TRADE_FIELDS))
                .withFormParam("start_modified", equalTo(start))
                .withFormParam("end_modified", equalTo(end))
                .withFormParam("page_no", equalTo(Integer.toString(page)))
                .withFormParam("page_size", equalTo("100"))
                .withFormParam("use_has_next", equalTo("true"));
    }

    private void stubTwoPages() {
        gateway.stub(increment(DEFAULT_START, HORIZON, 1), answer("api/trades-increment-page1.json"));
        gateway.stub(increment(DEFAULT_START, HORIZON, 2), answer("api/trades-increment-page2.json"));
    }

    private void stubConsume(String answer) {
        gateway.stub(gateway.appCall(TopApiClient.TMC_MESSAGES_CONSUME)
                .withFormParam("group_name", equalTo("default"))
                .withFormParam("quantity", equalTo("100")), answer(answer));
    }

    private void stubConfirm() {
        gateway.stub(gateway.appCall(TopApiClient.TMC_MESSAGES_CONFIRM).withFormParam("group_name", equalTo("default")),
                answer("api/tmc-confirm.json"));
    }

    private static List<String> keys(PollResult result) {
        return result.records().stream().map(RawRecord::key).toList();
    }

    private static SyncPosition sync(PollResult result) {
        return TmallCheckpoint.parse(Optional.of(result.nextCheckpoint())).sync().orElseThrow();
    }

    private static Instant beijing(String time) {
        return TopTime.parse(time).orElseThrow();
    }

    // ---------------------------------------------------------------------------------------
    // Incremental sync
    // ---------------------------------------------------------------------------------------

    @Test
    void theSyncPagesThroughAWindowAndMovesOnOnlyAfterItsLastPage() {
        stubTwoPages();
        TmallPoller poller = poller(syncOnly());

        PollResult first = poller.poll(Optional.empty());

        assertThat(keys(first)).containsExactly("3712345678901234501", "3712345678901234502");
        assertThat(first.hasMore()).isTrue();
        // Still inside the window: its start has not moved, the next page is remembered.
        assertThat(sync(first)).isEqualTo(new SyncPosition(beijing(DEFAULT_START), beijing(HORIZON), 2));

        PollResult second = poller.poll(Optional.of(first.nextCheckpoint()));

        assertThat(keys(second)).containsExactly("3712345678901234503");
        assertThat(second.hasMore()).isFalse();
        assertThat(sync(second)).isEqualTo(SyncPosition.at(beijing(HORIZON)));
        assertThat(second.records()).allSatisfy(record -> assertThat(record.attributes()).containsEntry("kind", "trade"));
        assertThat(gateway.received(TopApiClient.TRADES_SOLD_INCREMENT_GET)).extracting(form -> form.get("page_no"))
                .containsExactly("1", "2");
    }

    @Test
    void catchingUpUsesContiguousWindowsOfAtMostOneDay() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET), answer("api/trades-increment-empty.json"));
        Map<String, String> config = syncOnly();
        config.put("sync-start", "2025-05-17 00:00:00");
        TmallPoller poller = poller(config);

        Optional<String> checkpoint = Optional.empty();
        List<Boolean> hasMore = new ArrayList<>();
        Instant previousFrom = Instant.MIN;
        for (int i = 0; i < 10; i++) {
            PollResult result = poller.poll(checkpoint);
            hasMore.add(result.hasMore());
            Instant from = sync(result).from();
            assertThat(from).as("the checkpoint moves only forward").isAfterOrEqualTo(previousFrom);
            previousFrom = from;
            checkpoint = Optional.of(result.nextCheckpoint());
            if (!result.hasMore()) {
                break;
            }
        }

        List<Map<String, String>> windows = gateway.received(TopApiClient.TRADES_SOLD_INCREMENT_GET);
        assertThat(windows).extracting(w -> w.get("start_modified") + " .. " + w.get("end_modified")).containsExactly(
                "2025-05-17 00:00:00 .. 2025-05-18 00:00:00",
                "2025-05-18 00:00:00 .. 2025-05-19 00:00:00",
                "2025-05-19 00:00:00 .. 2025-05-20 00:00:00",
                "2025-05-20 00:00:00 .. " + HORIZON);
        for (Map<String, String> window : windows) {
            assertThat(Duration.between(beijing(window.get("start_modified")), beijing(window.get("end_modified"))))
                    .isLessThanOrEqualTo(Duration.ofDays(1));
        }
        assertThat(hasMore).containsExactly(true, true, true, false);
        assertThat(sync(poller.poll(checkpoint))).isEqualTo(SyncPosition.at(beijing(HORIZON)));
    }

    @Test
    void onceCaughtUpTheSyncWaitsForTimeToPassThenReadsTheNewMinutes() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET), answer("api/trades-increment-empty.json"));
        TmallPoller poller = poller(syncOnly());
        String caughtUp = new TmallCheckpoint(Optional.of(SyncPosition.at(beijing(HORIZON))), List.of()).toJson();

        PollResult same = poller.poll(Optional.of(caughtUp));

        assertThat(same.nextCheckpoint()).isEqualTo(caughtUp);
        assertThat(gateway.received(TopApiClient.TRADES_SOLD_INCREMENT_GET)).isEmpty();

        ctx.mutableClock().advance(Duration.ofMinutes(1));
        PollResult later = poller.poll(Optional.of(caughtUp));

        assertThat(gateway.received(TopApiClient.TRADES_SOLD_INCREMENT_GET)).singleElement().satisfies(window -> {
            assertThat(window).containsEntry("start_modified", HORIZON).containsEntry("end_modified", "2025-05-20 10:08:00");
        });
        assertThat(later.hasMore()).isFalse();
        assertThat(sync(later).from()).isEqualTo(beijing("2025-05-20 10:08:00"));
    }

    @Test
    void theWindowEndsTheConfiguredLagBeforeNow() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET), answer("api/trades-increment-empty.json"));
        Map<String, String> config = syncOnly();
        config.put("sync-lag", "10m");
        config.put("sync-page-size", "40");

        poller(config).poll(Optional.empty());

        assertThat(gateway.received(TopApiClient.TRADES_SOLD_INCREMENT_GET).get(0))
                .containsEntry("end_modified", "2025-05-20 10:00:00").containsEntry("page_size", "40");
    }

    @Test
    void resumingFromAnOlderCheckpointRepeatsTheSameRecordsAndEventIds() {
        stubTwoPages();
        TmallPoller poller = poller(syncOnly());
        PollResult first = poller.poll(Optional.empty());
        PollResult second = poller.poll(Optional.of(first.nextCheckpoint()));

        // The hub crashed before committing the second batch: a new node starts from the first checkpoint.
        TmallPoller restarted = poller(syncOnly());
        PollResult repeated = restarted.poll(Optional.of(first.nextCheckpoint()));

        assertThat(keys(repeated)).isEqualTo(keys(second));
        assertThat(repeated.nextCheckpoint()).isEqualTo(second.nextCheckpoint());
        assertThat(eventIds(repeated)).isEqualTo(eventIds(second)).isNotEmpty();

        // And from the very beginning: the first page again, with its ids.
        assertThat(eventIds(restarted.poll(Optional.empty()))).isEqualTo(eventIds(first));
    }

    private List<String> eventIds(PollResult result) {
        TmallConfig tmall = TmallConfig.from(ctx.config());
        TmallNormalizer normalizer = new TmallNormalizer("tmall", "flagship", tmall, new TopApiClient(ctx, tmall), ctx.logger());
        return result.records().stream().flatMap(r -> normalizer.normalize(r).stream()).map(CustomerEvent::id).toList();
    }

    @Test
    void anEmptyPageThatClaimsMoreEndsTheWindow() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET),
                okJson("{\"trades_sold_increment_get_response\":{\"has_next\":true}}"));

        PollResult result = poller(syncOnly()).poll(Optional.empty());

        assertThat(result.hasMore()).isFalse();
        assertThat(sync(result)).isEqualTo(SyncPosition.at(beijing(HORIZON)));
    }

    @Test
    void aCheckpointOlderThanTopServesIsMovedForwardWithAWarning() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET), answer("api/trades-increment-empty.json"));
        String ancient = new TmallCheckpoint(Optional.of(SyncPosition.at(Instant.parse("2024-01-01T00:00:00Z"))), List.of())
                .toJson();

        poller(syncOnly()).poll(Optional.of(ancient));

        // 89 days before 2025-05-20 10:10 Beijing time
        assertThat(gateway.received(TopApiClient.TRADES_SOLD_INCREMENT_GET).get(0))
                .containsEntry("start_modified", "2025-02-20 10:10:00").containsEntry("end_modified", "2025-02-21 10:10:00");
        assertThat(ctx.logLines()).anySatisfy(line -> assertThat(line).startsWith("WARNING").contains("further back"));
    }

    @Test
    void aFailingSyncPageTakesNoTmcMessages() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET), TopGateway.serverError());
        stubConsume("api/tmc-consume.json");

        assertThatThrownBy(() -> poller(config(TopGateway.url(wm.baseUrl()))).poll(Optional.empty()))
                .isInstanceOf(TransientException.class);
        assertThat(gateway.received(TopApiClient.TMC_MESSAGES_CONSUME)).isEmpty();
    }

    @Test
    void aCallLimitOnTheSyncIsRateLimited() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET), answer("api/error-call-limited.json"));

        assertThatThrownBy(() -> poller(syncOnly()).poll(Optional.empty())).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(71)));
    }

    @Test
    void anExpiredSessionFailsThePollForGood() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET), answer("api/error-session-expired.json"));

        assertThatThrownBy(() -> poller(syncOnly()).poll(Optional.empty())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("authorise the shop again");
    }

    @Test
    void anUnreadableCheckpointIsAConfigurationError() {
        assertThatThrownBy(() -> poller(syncOnly()).poll(Optional.of("2025-05-20 10:00:00")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("checkpoint");
        assertThat(gateway.receivedMethods()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------
    // TMC
    // ---------------------------------------------------------------------------------------

    @Test
    void tmcMessagesAreConfirmedOnlyAfterTheHubCommittedThem() {
        stubConsume("api/tmc-consume.json");
        stubConfirm();
        TmallPoller poller = poller(tmcOnly());

        PollResult batch = poller.poll(Optional.empty());

        assertThat(keys(batch)).containsExactly(BATCH_IDS.split(","));
        assertThat(batch.records()).allSatisfy(record -> assertThat(record.attributes()).containsEntry("kind", "tmc"));
        assertThat(batch.hasMore()).isFalse();
        assertThat(TmallCheckpoint.parse(Optional.of(batch.nextCheckpoint())).tmcToConfirm()).hasSize(5);
        assertThat(gateway.received(TopApiClient.TMC_MESSAGES_CONFIRM)).as("nothing confirmed before the commit").isEmpty();

        poller.committed(batch.nextCheckpoint());

        assertThat(gateway.received(TopApiClient.TMC_MESSAGES_CONFIRM)).singleElement().satisfies(form ->
                assertThat(form).containsEntry("s_message_ids", BATCH_IDS).containsEntry("group_name", "default")
                        .doesNotContainKey("session"));

        // The next poll, from that checkpoint, does not confirm them a second time.
        wm.resetRequests();
        stubConsume("api/tmc-consume-empty.json");
        PollResult next = poller.poll(Optional.of(batch.nextCheckpoint()));

        assertThat(gateway.receivedMethods()).containsExactly(TopApiClient.TMC_MESSAGES_CONSUME);
        assertThat(next.records()).isEmpty();
        assertThat(TmallCheckpoint.parse(Optional.of(next.nextCheckpoint())).tmcToConfirm()).isEmpty();
    }

    @Test
    void aConfirmLostToACrashIsMadeByTheNextPollBeforeItConsumes() {
        stubConsume("api/tmc-consume.json");
        stubConfirm();
        PollResult batch = poller(tmcOnly()).poll(Optional.empty());
        // The hub committed the batch and crashed before committed() ran.

        wm.resetRequests();
        stubConsume("api/tmc-consume-empty.json");
        poller(tmcOnly()).poll(Optional.of(batch.nextCheckpoint()));

        assertThat(gateway.receivedMethods())
                .containsExactly(TopApiClient.TMC_MESSAGES_CONFIRM, TopApiClient.TMC_MESSAGES_CONSUME);
        assertThat(gateway.received(TopApiClient.TMC_MESSAGES_CONFIRM).get(0)).containsEntry("s_message_ids", BATCH_IDS);
    }

    @Test
    void aBatchNeverCommittedIsNeverConfirmed() {
        stubConsume("api/tmc-consume.json");
        stubConfirm();
        poller(tmcOnly()).poll(Optional.empty());
        // The hub failed to persist the batch: it polls again from the previous (empty) checkpoint.

        poller(tmcOnly()).poll(Optional.empty());

        assertThat(gateway.received(TopApiClient.TMC_MESSAGES_CONFIRM)).isEmpty();
    }

    @Test
    void aRefusedConfirmIsLoggedAndThePollGoesOn() {
        stubConsume("api/tmc-consume-empty.json");
        gateway.stub(gateway.appCall(TopApiClient.TMC_MESSAGES_CONFIRM),
                TopGateway.error(15, "Remote service error", "isv.message-not-exist", "消息不存在"));
        String committed = new TmallCheckpoint(Optional.empty(), List.of("7100000000000000001")).toJson();

        PollResult result = poller(tmcOnly()).poll(Optional.of(committed));

        assertThat(result.records()).isEmpty();
        assertThat(ctx.logLines()).anySatisfy(line -> assertThat(line).startsWith("WARNING").contains("refused to confirm"));
    }

    @Test
    void aConfirmThatFailsTransientlyFailsThePollSoNothingIsForgotten() {
        gateway.stub(gateway.appCall(TopApiClient.TMC_MESSAGES_CONFIRM), TopGateway.serverError());
        String committed = new TmallCheckpoint(Optional.empty(), List.of("7100000000000000001")).toJson();

        assertThatThrownBy(() -> poller(tmcOnly()).poll(Optional.of(committed))).isInstanceOf(TransientException.class);
        assertThat(gateway.received(TopApiClient.TMC_MESSAGES_CONSUME)).isEmpty();
    }

    @Test
    void aFullTmcBatchAsksForAnotherPollAtOnce() {
        Map<String, String> config = tmcOnly();
        config.put("tmc-quantity", "10");
        config.put("tmc-group", "crm");
        ObjectNode answer = TopApiClient.JSON.createObjectNode();
        ArrayNode messages = answer.putObject("tmc_messages_consume_response").putObject("messages").putArray("tmc_message");
        JsonNode template = json("tmc/refund-closed.json");
        for (int i = 0; i < 10; i++) {
            messages.add(((ObjectNode) template.deepCopy()).put("id", 7200000000000000000L + i));
        }
        gateway.stub(gateway.appCall(TopApiClient.TMC_MESSAGES_CONSUME).withFormParam("group_name", equalTo("crm"))
                .withFormParam("quantity", equalTo("10")), okJson(answer.toString()));

        PollResult result = poller(config).poll(Optional.empty());

        assertThat(result.records()).hasSize(10);
        assertThat(result.hasMore()).isTrue();
    }

    @Test
    void aCallLimitOnConsumeIsRateLimitedAndTakesNothing() {
        gateway.stub(gateway.appCall(TopApiClient.TMC_MESSAGES_CONSUME), answer("api/error-call-limited.json"));

        assertThatThrownBy(() -> poller(tmcOnly()).poll(Optional.empty())).isInstanceOf(RateLimitedException.class);
    }

    // ---------------------------------------------------------------------------------------
    // Both sources
    // ---------------------------------------------------------------------------------------

    @Test
    void onePollReadsASyncPageThenConsumesTmcAndKeepsBothPartsOfTheCheckpoint() {
        stubTwoPages();
        stubConsume("api/tmc-consume.json");
        stubConfirm();
        TmallPoller poller = poller(config(TopGateway.url(wm.baseUrl())));

        PollResult result = poller.poll(Optional.empty());

        assertThat(gateway.receivedMethods())
                .containsExactly(TopApiClient.TRADES_SOLD_INCREMENT_GET, TopApiClient.TMC_MESSAGES_CONSUME);
        assertThat(result.records()).hasSize(7);
        assertThat(result.hasMore()).isTrue();
        TmallCheckpoint checkpoint = TmallCheckpoint.parse(Optional.of(result.nextCheckpoint()));
        assertThat(checkpoint.sync()).contains(new SyncPosition(beijing(DEFAULT_START), beijing(HORIZON), 2));
        assertThat(String.join(",", checkpoint.tmcToConfirm())).isEqualTo(BATCH_IDS);
        assertThat(result.nextCheckpoint()).isEqualTo("{\"v\":1,\"sync\":{\"from\":\"2025-05-19T02:10:00Z\","
                + "\"to\":\"2025-05-20T02:07:00Z\",\"page\":2},\"tmc\":{\"confirm\":[" + quoted(BATCH_IDS) + "]}}");
    }

    private static String quoted(String ids) {
        return "\"" + ids.replace(",", "\",\"") + "\"";
    }

    @Test
    void thePollIntervalIsConfigurable() {
        Map<String, String> config = syncOnly();
        config.put("poll-interval", "30s");

        assertThat(poller(config).interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(poller(syncOnly()).interval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void recordsAreStampedWithTheHubClock() {
        stubConsume("api/tmc-consume.json");

        PollResult result = poller(tmcOnly()).poll(Optional.empty());

        assertThat(result.records()).allSatisfy(record -> assertThat(record.receivedAt()).isEqualTo(NOW));
    }
}
