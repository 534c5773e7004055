package io.omnihub.routes.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.Queues;
import io.omnihub.routes.StageObserver;
import io.omnihub.routes.batch.JmsBatchComponent;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.Headers;
import io.omnihub.routes.event.CanonicalEventCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Every message a stage handles is reported once, with what became of it, for the metrics and the board. */
class StageObserverTest {

    private final List<String> observed = new ArrayList<>();
    private final StageObserver observer = (stage, connector, instance, outcome, took, error) ->
            observed.add(stage + " " + connector + "/" + instance + " " + outcome + (error == null ? "" : " " + error));
    private final List<BrokerMessage> sent = new ArrayList<>();

    @Test
    void aMessageTheNormalizerReadsIsReportedOk() {
        NormalizeStage stage = stage(registry(record -> List.of()), 12);

        stage.process(batch(raw("a")));

        assertThat(observed).containsExactly("normalize wechat/brand-oa OK");
    }

    @Test
    void aMessageForAnInstanceThatIsNotRunningIsReportedRetried() {
        NormalizeStage stage = stage(registryWithNothingRunning(), 12);

        stage.process(batch(raw("a")));

        assertThat(observed).containsExactly(
                "normalize wechat/brand-oa RETRIED InstanceUnavailableException: connector instance wechat/brand-oa is not running");
        assertThat(sent).singleElement().satisfies(m -> assertThat(m.queue()).isEqualTo(Queues.RAW));
    }

    @Test
    void aMessageTheNormalizerCannotReadIsReportedDeadLetteredWithTheReason() {
        NormalizeStage stage = stage(registry(record -> {
            throw new BadInputException("no <FromUserName>");
        }), 12);

        stage.process(batch(raw("a")));

        assertThat(observed).containsExactly("normalize wechat/brand-oa DEAD_LETTERED BadInputException: no <FromUserName>");
        assertThat(sent).singleElement().satisfies(m -> assertThat(m.queue()).isEqualTo(Queues.DLQ));
    }

    @Test
    void aDatabaseFailureInsideTheConnectorHoldsTheBatchWithoutRetryingOrParkingTheMessage() {
        // What a connector's call to the hub's token cache looks like while PostgreSQL is down.
        NormalizeStage stage = stage(registry(record -> {
            throw new IllegalStateException("could not read the access token",
                    new java.sql.SQLTransientConnectionException("hub - Connection is not available, request timed out after 30000ms"));
        }), 12);

        assertThatThrownBy(() -> stage.process(batch(raw("a"), raw("b"))))
                .isInstanceOf(PerMessageStage.StageInfrastructureException.class);

        assertThat(sent).isEmpty();
        assertThat(observed).singleElement().asString()
                .startsWith("normalize wechat/brand-oa HELD infrastructure unavailable: IllegalStateException");
    }

    private NormalizeStage stage(ConnectorRegistry registry, int maxAttempts) {
        return new NormalizeStage(registry, new EventMessages(new CanonicalEventCodec(), IdentityPolicy.defaults()),
                new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10), maxAttempts), Clock.systemUTC(), observer);
    }

    private Exchange batch(BrokerMessage... messages) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(List.of(messages));
        exchange.setProperty(JmsBatchComponent.OUTPUT, (io.omnihub.routes.batch.StageOutput) sent::add);
        return exchange;
    }

    private static BrokerMessage raw(String key) {
        return new BrokerMessage(Queues.RAW, "<xml/>".getBytes(), Map.of(Headers.CONNECTOR, "wechat", Headers.INSTANCE, "brand-oa",
                Headers.RECORD_KEY, key, Headers.CONTENT_TYPE, "text/xml", Headers.RECEIVED_AT, 1_700_000_000_000L), "ID:" + key);
    }

    private static ConnectorRegistry registry(Normalizer normalizer) {
        ConnectorInstance instance = new ConnectorInstance() {
            @Override
            public Normalizer normalizer() {
                return normalizer;
            }

            @Override
            public CheckResult check() {
                return CheckResult.ok("fine");
            }
        };
        return OneRunningInstance.of(instance);
    }

    private static ConnectorRegistry registryWithNothingRunning() {
        return new ConnectorRegistry() {
            @Override
            public Optional<ConnectorInstance> find(String connectorId, String instanceId) {
                return Optional.empty();
            }

            @Override
            public List<RunningInstance> running() {
                return List.of();
            }

            @Override
            public void failed(String connectorId, String instanceId, String reason) {
            }

            @Override
            public void rateLimited(String connectorId, String instanceId, RateLimitedException refusal) {
            }
        };
    }
}
