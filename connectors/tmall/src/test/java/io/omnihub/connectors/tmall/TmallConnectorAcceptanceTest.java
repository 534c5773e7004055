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

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.schema.CanonicalEventValidator;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OmniHub acceptance suite against a Tmall shop. The connector only polls, so its records are
 * the poller's: every trade of the sync answers and every TMC message of the samples, made into
 * records exactly as the poller makes them; the trade-detail lookups of the normalizer are served
 * by a gateway stub that checks each request's signature.
 */
class TmallConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    private static final String EXPIRED_SESSION = "6100a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7expired1";

    @Override
    protected ChannelConnector connector() {
        return new TmallConnector();
    }

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return Map.of("app-key", APP_KEY, "app-secret", APP_SECRET, "session", SESSION,
                "api-base-url", TopGateway.url(channelBaseUrl));
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
        List<RawRecord> records = new ArrayList<>();
        for (String page : List.of("api/trades-increment-page1.json", "api/trades-increment-page2.json")) {
            JsonNode trades = json(page).path("trades_sold_increment_get_response").path("trades");
            TopApiClient.items(trades, "trade").forEach(trade -> records.add(TmallRecords.trade(trade, now)));
        }
        for (String trade : List.of("trade-finished", "trade-closed", "trade-closed-by-taobao")) {
            records.add(TmallRecords.trade(json("trades/" + trade + ".json"), now));
        }
        JsonNode messages = json("api/tmc-consume.json").path("tmc_messages_consume_response").path("messages");
        TopApiClient.items(messages, "tmc_message").forEach(message -> records.add(TmallRecords.tmcMessage(message, now)));
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
                        Identity.of("tmall_ouid", "AAHm5d-EAAeGwJedwSHpg8bT", "欧姆尼官方旗舰店"), Identity.phone("13912345678"));
            });
        }
    }
}
