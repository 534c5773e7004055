package io.omnihub.connectors.tmall;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.tmall.TmallFixtures.APP_SECRET;
import static io.omnihub.connectors.tmall.TmallFixtures.SESSION;
import static io.omnihub.connectors.tmall.TopGateway.answer;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.source.Poller;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testkit.hostile.HostileChecks;
import io.omnihub.testkit.hostile.HostileCorpus;
import io.omnihub.testkit.hostile.HostileInput;
import io.omnihub.testkit.hostile.Observation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus of {@code tmall/hostile/}: TMC messages with broken, deep, duplicated or
 * wrong-typed content, whole TOP answers (gateway pages, truncated, deep and foreign JSON, error
 * envelopes of every shape), synced trades with amounts, times and lines of the wrong kind, each
 * served by WireMock standing in for the TOP gateway and taken through the real poller and
 * normalizer, with the outcome its {@code outcomes.tsv} states.
 *
 * <p>Deliveries: {@code tmc} the file as the one message of a consume answer; {@code consume} the
 * file as the whole consume answer; {@code trade} the file as the one trade of an incremental sync
 * page; {@code increment} the file as the whole page; {@code fullinfo} the file as the trade detail
 * the normalizer asks for a good TradeBuyerPay message. {@code :<status>} serves it with that status.
 */
class TmallHostileInputTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static List<HostileInput> corpus() {
        return HostileCorpus.load(TmallHostileInputTest.class, "/tmall/hostile");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileInputHasTheOutcomeAUserExpects(HostileInput input) {
        wm.resetAll();
        TopGateway gateway = new TopGateway(wm.getRuntimeInfo().getWireMock());
        String[] delivery = input.delivery().split(":");
        int status = delivery.length > 1 ? Integer.parseInt(delivery[1]) : 200;
        ResponseDefinitionBuilder served = aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json;charset=UTF-8").withBody(input.bytes());
        String file = input.text();
        boolean sync = delivery[0].equals("trade") || delivery[0].equals("increment");

        gateway.stub(gateway.appCall(TopApiClient.TMC_MESSAGES_CONFIRM),
                okJson("{\"tmc_messages_confirm_response\":{\"is_success\":true}}"));
        gateway.stub(gateway.sessionCall(TopApiClient.TRADE_FULLINFO_GET), delivery[0].equals("fullinfo") ? served
                : answer("api/trade-fullinfo-3712345678901234601.json"));
        gateway.stub(gateway.appCall(TopApiClient.TMC_MESSAGES_CONSUME), switch (delivery[0]) {
            case "tmc" -> okJson("{\"tmc_messages_consume_response\":{\"messages\":{\"tmc_message\":[" + file + "]}}}");
            case "consume" -> served;
            default -> okJson("{\"tmc_messages_consume_response\":{\"messages\":{\"tmc_message\":["
                    + TmallFixtures.text("hostile/tmc-buyer-pay.json") + "]}}}");
        });
        gateway.stub(gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET), switch (delivery[0]) {
            case "trade" -> okJson("{\"trades_sold_increment_get_response\":{\"has_next\":false,\"trades\":{\"trade\":["
                    + file + "]}}}");
            case "increment" -> served;
            default -> answer("api/trades-increment-empty.json");
        });

        Map<String, String> config = TmallFixtures.config(TopGateway.url(wm.baseUrl()));
        config.put(TmallConfig.TMC_ENABLED, Boolean.toString(!sync));
        config.put(TmallConfig.SYNC_ENABLED, Boolean.toString(sync));
        TestConnectorContext ctx = TmallFixtures.context(config);
        ConnectorInstance instance = new TmallConnector().open(ctx);
        Poller poller = instance.poller().orElseThrow();

        HostileChecks.expect(input, () -> Observation.ofSource(() -> poller.poll(Optional.empty()).records(),
                instance.normalizer(), ctx.connectorId(), ctx.instanceId()), List.of(APP_SECRET, SESSION), ctx::logLines);
    }
}
