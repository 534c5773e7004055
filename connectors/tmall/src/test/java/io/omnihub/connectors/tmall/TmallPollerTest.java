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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    private static Map<String, String> syncOnly(int pageSize) {
        Map<String, String> config = syncOnly();
        config.put("sync-page-size", Integer.toString(pageSize));
        return config;
    }

    /** The shop's trades, served page by page as TOP does for any window asked, in pages of {@code pageSize}. */
    private TopTradeStore shop(int pageSize) {
        return new TopTradeStore(wm.getRuntimeInfo().getWireMock(), gateway, pageSize);
    }

    /** The three trades of api/trades-increment-page1.json and -page2.json: modified 05-19 11:22:33, 05-20 09:30:00, 09:41:07. */
    private TopTradeStore sampleShop(int pageSize) {
        return shop(pageSize).addFrom("api/trades-increment-page1.json", "api/trades-increment-page2.json");
    }

    /** A paid trade {@code tid} last modified at {@code modified} (Beijing time). */
    private static JsonNode trade(String tid, String modified) {
        ObjectNode trade = (ObjectNode) json("trades/wait-seller-send-goods.json");
        return trade.put("tid", tid).put("modified", modified);
    }

    /** The windows the sync asked TOP for, as {@code start .. end page n}, with {@code (count)} when not use_has_next. */
    private List<String> requestedWindows() {
        return gateway.received(TopApiClient.TRADES_SOLD_INCREMENT_GET).stream()
                .map(form -> form.get("start_modified") + " .. " + form.get("end_modified") + " page " + form.get("page_no")
                        + ("true".equals(form.get("use_has_next")) ? "" : " (count)"))
                .toList();
    }

    private static String checkpoint(SyncPosition position) {
        return new TmallCheckpoint(Optional.of(position), List.of()).toJson();
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
    void aWindowThatFitsOnOnePageIsReadInOneAnswerAndTheSyncMovesToItsEnd() {
        sampleShop(100);
        TmallPoller poller = poller(syncOnly());

        PollResult result = poller.poll(Optional.empty());

        // Newest-modified first, as TOP lists them.
        assertThat(keys(result)).containsExactly("3712345678901234502", "3712345678901234501", "3712345678901234503");
        assertThat(result.records()).allSatisfy(record -> assertThat(record.attributes()).containsEntry("kind", "trade"));
        assertThat(result.hasMore()).isFalse();
        assertThat(sync(result)).isEqualTo(SyncPosition.at(beijing(HORIZON)));
        assertThat(requestedWindows()).containsExactly(DEFAULT_START + " .. " + HORIZON + " page 1");
    }

    @Test
    void aWindowThatDoesNotFitOnOnePageIsHalvedUntilItDoesAndEmittedOnlyThen() {
        sampleShop(2);
        TmallPoller poller = poller(syncOnly(2));

        PollResult tooFull = poller.poll(Optional.empty());

        // Page 1 of the whole day says has_next: nothing of it is emitted, the window is halved.
        assertThat(tooFull.records()).isEmpty();
        assertThat(tooFull.hasMore()).isTrue();
        assertThat(sync(tooFull)).isEqualTo(SyncPosition.window(beijing(DEFAULT_START), beijing("2025-05-19 22:08:30")));

        PollResult firstHalf = poller.poll(Optional.of(tooFull.nextCheckpoint()));

        assertThat(keys(firstHalf)).containsExactly("3712345678901234503");
        assertThat(firstHalf.hasMore()).isTrue();
        // The window was read whole: the sync moves to its end and remembers how wide it could be.
        assertThat(sync(firstHalf)).isEqualTo(SyncPosition.at(beijing("2025-05-19 22:08:30"), Duration.ofSeconds(43110)));

        PollResult rest = poller.poll(Optional.of(firstHalf.nextCheckpoint()));

        assertThat(keys(rest)).containsExactly("3712345678901234502", "3712345678901234501");
        assertThat(rest.hasMore()).isFalse();
        assertThat(sync(rest)).isEqualTo(SyncPosition.at(beijing(HORIZON)));
        assertThat(requestedWindows()).containsExactly(
                DEFAULT_START + " .. " + HORIZON + " page 1",
                DEFAULT_START + " .. 2025-05-19 22:08:30 page 1",
                "2025-05-19 22:08:30 .. " + HORIZON + " page 1");
    }

    @Test
    void afterANarrowedWindowEachNextWindowIsTwiceAsWideUpToADay() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET), answer("api/trades-increment-empty.json"));
        TmallPoller poller = poller(syncOnly());
        Optional<String> at = Optional.of(checkpoint(SyncPosition.at(beijing("2025-05-19 12:00:00"), Duration.ofHours(1))));

        for (int i = 0; i < 10 && at.isPresent(); i++) {
            PollResult result = poller.poll(at);
            at = result.hasMore() ? Optional.of(result.nextCheckpoint()) : Optional.empty();
        }

        assertThat(requestedWindows()).containsExactly(
                "2025-05-19 12:00:00 .. 2025-05-19 14:00:00 page 1",
                "2025-05-19 14:00:00 .. 2025-05-19 18:00:00 page 1",
                "2025-05-19 18:00:00 .. 2025-05-20 02:00:00 page 1",
                "2025-05-20 02:00:00 .. " + HORIZON + " page 1");
    }

    @Test
    void aMinuteThatHoldsMoreThanAPageIsCountedAndPagedBackwards() {
        TopTradeStore shop = shop(2);
        for (int i = 1; i <= 5; i++) {
            shop.add(trade("371234567890000000" + i, "2025-05-20 09:30:00"));
        }
        TmallPoller poller = poller(syncOnly(2));
        Instant from = beijing("2025-05-20 09:30:00");
        Optional<String> at = Optional.of(checkpoint(SyncPosition.window(from, beijing("2025-05-20 09:32:30"))));
        List<PollResult> results = new ArrayList<>();

        for (int i = 0; i < 10; i++) {
            PollResult result = poller.poll(at);
            results.add(result);
            at = Optional.of(result.nextCheckpoint());
            if (sync(result).equals(SyncPosition.at(beijing("2025-05-20 09:31:00"), Duration.ofMinutes(1)))) {
                break;
            }
        }

        // 150 s, then 75 s, then the one-minute floor; that still holds five trades: counted (two
        // calls in one poll), then pages 3, 2 and 1 of two trades each.
        assertThat(requestedWindows()).containsExactly(
                "2025-05-20 09:30:00 .. 2025-05-20 09:32:30 page 1",
                "2025-05-20 09:30:00 .. 2025-05-20 09:31:15 page 1",
                "2025-05-20 09:30:00 .. 2025-05-20 09:31:00 page 1",
                "2025-05-20 09:30:00 .. 2025-05-20 09:31:00 page 1 (count)",
                "2025-05-20 09:30:00 .. 2025-05-20 09:31:00 page 3 (count)",
                "2025-05-20 09:30:00 .. 2025-05-20 09:31:00 page 2 (count)",
                "2025-05-20 09:30:00 .. 2025-05-20 09:31:00 page 1 (count)");
        assertThat(results).extracting(TmallPollerTest::keys).containsExactly(
                List.of(), List.of(), List.of(),
                List.of("3712345678900000001"),
                List.of("3712345678900000003", "3712345678900000002"),
                List.of("3712345678900000005", "3712345678900000004"));
        assertThat(results).allSatisfy(result -> assertThat(result.hasMore()).isTrue());
        assertThat(results.get(2).nextCheckpoint()).isEqualTo("{\"v\":2,\"sync\":{\"from\":\"2025-05-20T01:30:00Z\","
                + "\"to\":\"2025-05-20T01:31:00Z\",\"page\":3,\"size\":2,\"backward\":true}}");
        assertThat(ctx.logLines()).anySatisfy(line -> assertThat(line).startsWith("INFO").contains("paging backwards"));
    }

    /**
     * The review's case: TOP lists a window newest-modified first. A buyer changes a trade of the
     * window after the sync read a page of it: the trade leaves the window, every trade listed after
     * it moves up a place, and one of them moves onto the page already read. Paging forward never
     * reads that one; the sync must not lose it, however the trades lie in the window.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "spread over the morning, 2025-05-20 08:00:00, 2025-05-20 08:30:00, 2025-05-20 09:00:00, 2025-05-20 09:30:00, 2025-05-20 10:00:00",
            "all in the same second,  2025-05-20 09:30:00, 2025-05-20 09:30:00, 2025-05-20 09:30:00, 2025-05-20 09:30:00, 2025-05-20 09:30:00",
    })
    void aTradeModifiedBetweenTwoPageReadsLeavesNoTradeUnread(String layout, String m1, String m2, String m3, String m4,
                                                              String m5) {
        TopTradeStore shop = shop(2);
        List<String> modified = List.of(m1, m2, m3, m4, m5);
        for (int i = 0; i < modified.size(); i++) {
            shop.add(trade("371234567890000000" + (i + 1), modified.get(i)));
        }
        List<String> all = shop.tids();
        TmallPoller poller = poller(syncOnly(2));
        Set<String> read = new LinkedHashSet<>();
        Optional<String> at = Optional.empty();
        boolean changed = false;

        for (int i = 0; i < 60; i++) {
            PollResult result = poller.poll(at);
            read.addAll(keys(result));
            at = Optional.of(result.nextCheckpoint());
            if (!changed && !result.records().isEmpty()) {
                // Right after the first page read, the newest trade is changed again (now, 10:10).
                shop.modify(all.get(0), "2025-05-20 10:10:00");
                changed = true;
            }
            if (!result.hasMore()) {
                break;
            }
        }
        assertThat(changed).isTrue();
        // The changed trade comes again with the window of its new time.
        ctx.mutableClock().advance(Duration.ofMinutes(5));
        for (int i = 0; i < 10; i++) {
            PollResult result = poller.poll(at);
            read.addAll(keys(result));
            at = Optional.of(result.nextCheckpoint());
            if (!result.hasMore()) {
                break;
            }
        }

        assertThat(read).as("trades read in " + requestedWindows()).containsExactlyInAnyOrderElementsOf(all);
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
        TopTradeStore shop = shop(2);
        for (int i = 1; i <= 5; i++) {
            shop.add(trade("371234567890000000" + i, "2025-05-20 09:30:00"));
        }
        TmallPoller poller = poller(syncOnly(2));
        String window = checkpoint(SyncPosition.window(beijing("2025-05-20 09:30:00"), beijing("2025-05-20 09:31:00")));
        PollResult counted = poller.poll(Optional.of(window));
        PollResult first = poller.poll(Optional.of(counted.nextCheckpoint()));
        PollResult second = poller.poll(Optional.of(first.nextCheckpoint()));

        // The hub crashed before committing the second batch: a new node starts from the first checkpoint.
        TmallPoller restarted = poller(syncOnly(2));
        PollResult repeated = restarted.poll(Optional.of(first.nextCheckpoint()));

        assertThat(keys(repeated)).isEqualTo(keys(second)).isNotEmpty();
        assertThat(repeated.nextCheckpoint()).isEqualTo(second.nextCheckpoint());
        assertThat(eventIds(repeated)).isEqualTo(eventIds(second)).isNotEmpty();

        // And from the window's start: the same count, then the same first page with its ids.
        PollResult again = restarted.poll(Optional.of(window));
        assertThat(again.nextCheckpoint()).isEqualTo(counted.nextCheckpoint());
        assertThat(eventIds(restarted.poll(Optional.of(again.nextCheckpoint())))).isEqualTo(eventIds(first)).isNotEmpty();
    }

    @Test
    void aWindowPagedBackwardsKeepsThePageSizeItWasCountedWith() {
        gateway.stub(gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET), answer("api/trades-increment-empty.json"));
        String paging = checkpoint(SyncPosition.backward(beijing("2025-05-20 09:30:00"), beijing("2025-05-20 09:31:00"), 2, 40));

        // sync-page-size is 100 now: page 2 of 100 is not page 2 of 40, and would skip trades.
        PollResult result = poller(syncOnly()).poll(Optional.of(paging));

        assertThat(gateway.received(TopApiClient.TRADES_SOLD_INCREMENT_GET)).singleElement().satisfies(form ->
                assertThat(form).containsEntry("page_no", "2").containsEntry("page_size", "40").doesNotContainKey("use_has_next"));
        assertThat(sync(result)).isEqualTo(
                SyncPosition.backward(beijing("2025-05-20 09:30:00"), beijing("2025-05-20 09:31:00"), 1, 40));
    }

    @Test
    void aWindowTheFormerVersionWasPagingForwardIsReadAgainFromItsStart() {
        sampleShop(100);
        String v1 = "{\"v\":1,\"sync\":{\"from\":\"2025-05-19T02:10:00Z\",\"to\":\"2025-05-20T02:07:00Z\",\"page\":2}}";

        PollResult result = poller(syncOnly()).poll(Optional.of(v1));

        // Pages before 2 may have shifted since: the whole window again (repeats, never a gap).
        assertThat(requestedWindows()).containsExactly(DEFAULT_START + " .. " + HORIZON + " page 1");
        assertThat(keys(result)).hasSize(3);
        assertThat(sync(result)).isEqualTo(SyncPosition.at(beijing(HORIZON)));
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
    void everySyncPositionSurvivesTheCheckpoint() {
        Instant from = beijing("2025-05-20 09:30:00");
        Instant to = beijing("2025-05-20 09:31:00");
        for (SyncPosition position : List.of(SyncPosition.at(from), SyncPosition.at(from, Duration.ofSeconds(5389)),
                SyncPosition.window(from, to), SyncPosition.backward(from, to, 7, 40))) {
            TmallCheckpoint checkpoint = new TmallCheckpoint(Optional.of(position), List.of("7100000000000000001"));

            assertThat(TmallCheckpoint.parse(Optional.of(checkpoint.toJson()))).isEqualTo(checkpoint);
        }
    }

    @Test
    void aBackwardPageWithoutItsPageSizeIsAnUnreadableCheckpoint() {
        String noSize = "{\"v\":2,\"sync\":{\"from\":\"2025-05-20T01:30:00Z\",\"to\":\"2025-05-20T01:31:00Z\","
                + "\"page\":3,\"backward\":true}}";

        assertThatThrownBy(() -> poller(syncOnly()).poll(Optional.of(noSize)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("checkpoint");
        assertThat(gateway.receivedMethods()).isEmpty();
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
        sampleShop(2);
        stubConsume("api/tmc-consume.json");
        stubConfirm();
        Map<String, String> config = config(TopGateway.url(wm.baseUrl()));
        config.put("sync-page-size", "2");
        TmallPoller poller = poller(config);

        PollResult result = poller.poll(Optional.empty());

        assertThat(gateway.receivedMethods())
                .containsExactly(TopApiClient.TRADES_SOLD_INCREMENT_GET, TopApiClient.TMC_MESSAGES_CONSUME);
        // The day did not fit on a page: only the TMC messages, and the sync inside its narrowed window.
        assertThat(keys(result)).containsExactly(BATCH_IDS.split(","));
        assertThat(result.hasMore()).isTrue();
        TmallCheckpoint checkpoint = TmallCheckpoint.parse(Optional.of(result.nextCheckpoint()));
        assertThat(checkpoint.sync()).contains(SyncPosition.window(beijing(DEFAULT_START), beijing("2025-05-19 22:08:30")));
        assertThat(String.join(",", checkpoint.tmcToConfirm())).isEqualTo(BATCH_IDS);
        assertThat(result.nextCheckpoint()).isEqualTo("{\"v\":2,\"sync\":{\"from\":\"2025-05-19T02:10:00Z\","
                + "\"to\":\"2025-05-19T14:08:30Z\"},\"tmc\":{\"confirm\":[" + quoted(BATCH_IDS) + "]}}");
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
