package io.omnihub.connectors.tmall;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.omnihub.connectors.tmall.TmallFixtures.APP_KEY;
import static io.omnihub.connectors.tmall.TmallFixtures.APP_SECRET;
import static io.omnihub.connectors.tmall.TmallFixtures.SESSION;
import static io.omnihub.connectors.tmall.TmallFixtures.TMC_CLOSED_TID;
import static io.omnihub.connectors.tmall.TmallFixtures.TMC_TID;
import static io.omnihub.connectors.tmall.TmallFixtures.json;
import static io.omnihub.connectors.tmall.TopGateway.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.schema.CanonicalEventValidator;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connectors.tmall.TmallCheckpoint.SyncPosition;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OmniHub acceptance suite against a Tmall shop. The connector only polls, so its records are
 * the poller's: what the real poller reads from the stubbed sync pages and TMC queue
 * ({@link #stubPollSource}, also the source of the poll rules), plus more trades and TMC messages,
 * made into records exactly as the poller makes them; the trade-detail lookups of the normalizer
 * are served by a gateway stub that checks each request's signature.
 *
 * <p>The action rules stay skipped: the connector offers no actions (no outbound writes to Taobao).
 */
class TmallConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    private static final String EXPIRED_SESSION = "6100a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7expired1";

    @Override
    protected ChannelConnector connector() {
        return new TmallConnector();
    }

    /**
     * Pages of two trades, so that the three trades of the stubbed shop do not fit on one page: the
     * sync narrows its first window and reads them in two batches (the poll rules need two).
     */
    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return Map.of("app-key", APP_KEY, "app-secret", APP_SECRET, "session", SESSION,
                "api-base-url", TopGateway.url(channelBaseUrl), "sync-page-size", "2");
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        TopGateway gateway = new TopGateway(channel);
        gateway.stub(gateway.sessionCall(TopApiClient.USER_SELLER_GET).withFormParam("fields", equalTo("user_id,nick,type")),
                answer("api/user-seller-get.json"));
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        return Map.of("app-key", APP_KEY, "app-secret", APP_SECRET, "session", EXPIRED_SESSION,
                "api-base-url", TopGateway.url(channelBaseUrl));
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        TopGateway gateway = new TopGateway(channel, APP_KEY, APP_SECRET, EXPIRED_SESSION);
        gateway.stub(gateway.sessionCall(TopApiClient.USER_SELLER_GET), answer("api/error-session-expired.json"));
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        return Set.of("app-secret", "session");
    }

    @Override
    protected Instant now() {
        return TmallFixtures.NOW;
    }

    @Override
    protected List<RawRecord> recordSamples(Map<String, String> config, Instant now) {
        // The trades of the two sync pages (api/trades-increment-page1.json, -page2.json) and the TMC
        // messages of api/tmc-consume.json are not repeated here: stubPollSource() serves them and the
        // kit normalizes what the real poller returns.
        List<RawRecord> records = new ArrayList<>();
        for (String trade : List.of("trade-finished", "trade-closed", "trade-closed-by-taobao")) {
            records.add(TmallRecords.trade(json("trades/" + trade + ".json"), now));
        }
        for (String message : List.of("trade-seller-ship", "trade-success", "refund-created", "refund-closed")) {
            records.add(TmallRecords.tmcMessage(json("tmc/" + message + ".json"), now));
        }
        return records;
    }

    @Override
    protected void stubNormalizerLookups(WireMock channel) {
        TopGateway gateway = new TopGateway(channel);
        for (String tid : List.of(TMC_TID, TMC_CLOSED_TID)) {
            gateway.stub(gateway.sessionCall(TopApiClient.TRADE_FULLINFO_GET).withFormParam("tid", equalTo(tid)),
                    answer("api/trade-fullinfo-" + tid + ".json"));
        }
    }

    /** The WireMock scenario of the TMC queue: {@link Scenario#STARTED} while it holds the messages. */
    private static final String TMC_QUEUE = "TMC queue";
    private static final String TMC_CONFIRMED = "confirmed";
    /** The ids of the messages in api/tmc-consume.json, as the poller confirms them. */
    private static final String TMC_IDS = "7100000000000000001,7100000000000000002,7100000000000000005,"
            + "7100000000000000007,7100000000000000009";

    /**
     * The shop as the poller reads it, each request signed:
     * <ul>
     *   <li>the incremental trade sync, {@code taobao.trades.sold.increment.get} for the seller's
     *       session, as a shop holding the three trades of api/trades-increment-page1.json and
     *       -page2.json (modified 2025-05-19 11:22:33, 2025-05-20 09:30:00 and 09:41:07) answers any
     *       window, in pages of two ({@link TopTradeStore}). The day from the default start
     *       (2025-05-19 10:10:00) to the horizon (10:07:00 the next day) does not fit on a page and
     *       is halved; its first half holds one trade, the rest two. Once read, the sync stands at
     *       the horizon and, with the kit's clock standing still, calls nothing more;</li>
     *   <li>TMC (enabled by default) as the queue it is: {@code taobao.tmc.messages.consume} hands
     *       out the five messages of api/tmc-consume.json until {@code taobao.tmc.messages.confirm}
     *       confirms exactly those ids, and nothing after that; a confirm of the same ids again (a
     *       restarted node confirming its committed checkpoint) succeeds.</li>
     * </ul>
     * So the first poll narrows the sync window and reads the five messages, the second the first
     * half's trade (the messages confirmed once the first batch was committed), the third the other
     * two trades, the fourth nothing: caught up. A poller that confirmed other ids, or none, would
     * fail the poll rules (the queue hands the messages out until they are confirmed). The batch the
     * kit's crash loses is the first half's trade, without messages: that a batch never committed is
     * never confirmed stays with {@code TmallPollerTest} ({@code aBatchNeverCommittedIsNeverConfirmed}).
     */
    @Override
    protected boolean stubPollSource(WireMock channel) {
        TopGateway gateway = new TopGateway(channel);
        new TopTradeStore(channel, gateway, 2).addFrom("api/trades-increment-page1.json", "api/trades-increment-page2.json");
        gateway.stub(consume(gateway).inScenario(TMC_QUEUE).whenScenarioStateIs(Scenario.STARTED),
                answer("api/tmc-consume.json"));
        gateway.stub(consume(gateway).inScenario(TMC_QUEUE).whenScenarioStateIs(TMC_CONFIRMED),
                answer("api/tmc-consume-empty.json"));
        gateway.stub(gateway.appCall(TopApiClient.TMC_MESSAGES_CONFIRM)
                .withFormParam("group_name", equalTo("default"))
                .withFormParam("s_message_ids", equalTo(TMC_IDS))
                .inScenario(TMC_QUEUE).willSetStateTo(TMC_CONFIRMED), answer("api/tmc-confirm.json"));
        return true;
    }

    /**
     * The kit's runs each read the shop from the start; the first confirms the messages, which TMC
     * then no longer hands out. The queue holds them again, as {@link #stubPollSource} left it.
     */
    @Override
    protected void resetPollSource(WireMock channel) {
        channel.resetScenarioState(TMC_QUEUE);
    }

    private static MappingBuilder consume(TopGateway gateway) {
        return gateway.appCall(TopApiClient.TMC_MESSAGES_CONSUME)
                .withFormParam("group_name", equalTo("default"))
                .withFormParam("quantity", equalTo("100"));
    }

    /**
     * The checkpoint is a JSON object ({@link TmallCheckpoint}); its order is that of the sync
     * position: {@code sync.from}, then between windows before probing a window before paging one
     * backwards; a probed window narrows (a narrower one is further on), a window paged backwards
     * counts its pages down. The TMC ids to confirm carry no order.
     */
    @Override
    protected Optional<Comparator<String>> checkpointOrder() {
        Comparator<SyncPosition> bySync = Comparator.comparing(SyncPosition::from)
                .thenComparingInt(position -> !position.inWindow() ? 0 : position.backward() ? 2 : 1)
                .thenComparing(position -> position.inWindow() && !position.backward() ? position.windowEnd() : Instant.MIN,
                        Comparator.reverseOrder())
                .thenComparing(position -> -position.backwardPage());
        return Optional.of(Comparator.comparing(
                checkpoint -> TmallCheckpoint.parse(Optional.of(checkpoint)).sync().orElseThrow(), bySync));
    }

    /** The real poller against the gateway stub: what it returns normalizes to valid events. */
    @Test
    void aPolledBatchNormalizesToValidCanonicalEvents() {
        TopGateway gateway = new TopGateway(channel().getRuntimeInfo().getWireMock());
        gateway.stub(gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET), answer("api/trades-increment-page2.json"));
        gateway.stub(gateway.appCall(TopApiClient.TMC_MESSAGES_CONSUME), answer("api/tmc-consume.json"));
        stubNormalizerLookups(channel().getRuntimeInfo().getWireMock());

        try (ConnectorInstance instance = openInstance(validConfig(channelBaseUrl()))) {
            PollResult batch = instance.poller().orElseThrow().poll(Optional.empty());
            List<CustomerEvent> events = new ArrayList<>();
            batch.records().forEach(record -> events.addAll(instance.normalizer().normalize(record)));

            CanonicalEventValidator rules = CanonicalEventValidator.create();
            assertThat(events).hasSize(5).allSatisfy(event ->
                    assertThat(rules.validate(event, "tmall", instanceId())).isEmpty());
        }
    }

    /**
     * The smallest set of gateway stubs that makes one customer with phone 13912345678 appear, with
     * plain WireMock (no signature check), as a hub-level end-to-end test would register them.
     */
    @Test
    void theMinimalHubStubsYieldOneCustomerWithAPhone() {
        WireMock top = channel().getRuntimeInfo().getWireMock();
        top.register(post(urlPathEqualTo("/router/rest")).withFormParam("method", equalTo("taobao.user.seller.get"))
                .willReturn(okJson("{\"user_seller_get_response\":{\"user\":{\"nick\":\"欧姆尼官方旗舰店\",\"user_id\":2200812345678}}}")));
        top.register(post(urlPathEqualTo("/router/rest")).withFormParam("method", equalTo("taobao.trades.sold.increment.get"))
                .willReturn(okJson("{\"trades_sold_increment_get_response\":{\"has_next\":false,\"trades\":{\"trade\":[{"
                        + "\"tid\":\"3712345678901234501\",\"status\":\"WAIT_SELLER_SEND_GOODS\",\"payment\":\"200.07\","
                        + "\"created\":\"2025-05-20 09:30:00\",\"pay_time\":\"2025-05-20 09:31:00\","
                        + "\"modified\":\"2025-05-20 09:31:00\",\"buyer_open_uid\":\"AAHm5d-EAAeGwJedwSHpg8bT\","
                        + "\"seller_nick\":\"欧姆尼官方旗舰店\",\"receiver_mobile\":\"13912345678\"}]}}}")));
        top.register(post(urlPathEqualTo("/router/rest")).withFormParam("method", equalTo("taobao.tmc.messages.consume"))
                .willReturn(okJson("{\"tmc_messages_consume_response\":{\"messages\":{\"tmc_message\":[]}}}")));
        top.register(post(urlPathEqualTo("/router/rest")).withFormParam("method", equalTo("taobao.tmc.messages.confirm"))
                .willReturn(okJson("{\"tmc_messages_confirm_response\":{\"is_success\":true}}")));

        try (ConnectorInstance instance = openInstance(validConfig(channelBaseUrl()))) {
            assertThat(instance.check().ok()).isTrue();
            Poller poller = instance.poller().orElseThrow();
            PollResult batch = poller.poll(Optional.empty());
            poller.committed(batch.nextCheckpoint());
            List<CustomerEvent> events = instance.normalizer().normalize(batch.records().get(0));

            assertThat(events).singleElement().satisfies(event -> {
                assertThat(event.id()).isEqualTo("tmall:欧姆尼官方旗舰店:3712345678901234501:paid");
                assertThat(event.type()).isEqualTo("order.paid");
                assertThat(event.data().order().totalMinor()).isEqualTo(20007);
                assertThat(event.data().identities()).containsExactly(
                        Identity.of("tmall_ouid", "AAHm5d-EAAeGwJedwSHpg8bT", "欧姆尼官方旗舰店").withEvidence(Evidence.VERIFIED), Identity.phone("13912345678").withEvidence(Evidence.DELIVERY));
            });
        }
    }
}
