package io.omnihub.routes.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Enricher;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.Queues;
import io.omnihub.routes.batch.JmsBatchComponent;
import io.omnihub.routes.batch.StageOutput;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.Headers;
import io.omnihub.routes.event.CanonicalEventCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * An enricher that can answer from memory has its follow-ups queued right behind the event; one
 * that cannot (or fails, or answers nonsense) gets the event in the enrich step as before.
 */
class NormalizeStageEnrichmentTest {

    private static final Instant AT = Instant.parse("2026-11-11T00:00:01Z");
    private static final CustomerEvent MESSAGE = CustomerEvent.builder("wx-1", EventTypes.MESSAGE_RECEIVED)
            .source("wechat", "brand-oa").time(AT).receivedAt(AT)
            .identity(Identity.of(IdentityTypes.WECHAT_OPENID, "o-1", "wx-app")).build();
    private static final CustomerEvent LINK = CustomerEvent.builder("wechat:wx-app:unionid:o-1", EventTypes.IDENTITY_LINKED)
            .source("wechat", "brand-oa").time(AT).receivedAt(AT)
            .identity(Identity.of(IdentityTypes.WECHAT_OPENID, "o-1", "wx-app"))
            .identity(Identity.of(IdentityTypes.WECHAT_UNIONID, "u-1")).build();

    private final CanonicalEventCodec codec = new CanonicalEventCodec();
    private final List<BrokerMessage> sent = new ArrayList<>();

    @Test
    void followUpsKnownFromMemoryAreQueuedBehindTheEventAndNothingGoesToTheEnrichStep() {
        normalizeWith(event -> Optional.of(List.of(LINK)));

        assertThat(sent).extracting(BrokerMessage::queue).containsExactly(Queues.EVENTS, Queues.EVENTS);
        assertThat(sent).extracting(m -> codec.decodeTrusted(m.body()).id()).containsExactly("wx-1", LINK.id());
    }

    @Test
    void anEnricherThatKnowsThereIsNothingToAddAddsNothing() {
        normalizeWith(event -> Optional.of(List.of()));

        assertThat(sent).extracting(BrokerMessage::queue).containsExactly(Queues.EVENTS);
    }

    @Test
    void anEnricherThatWouldHaveToAskGetsTheEventInTheEnrichStep() {
        normalizeWith(event -> Optional.empty());

        assertThat(sent).extracting(BrokerMessage::queue).containsExactly(Queues.EVENTS, Queues.ENRICH);
        assertThat(sent.get(1).body()).isEqualTo(sent.get(0).body());
    }

    @Test
    void aFailingOrInvalidAnswerFromMemoryFallsBackToTheEnrichStepAndTheEventStillGoesOn() {
        CustomerEvent withoutIdentities = CustomerEvent.builder("bad", EventTypes.IDENTITY_LINKED)
                .source("wechat", "brand-oa").time(AT).receivedAt(AT).build();
        normalizeWith(event -> Optional.of(List.of(withoutIdentities)));
        normalizeWith(event -> {
            throw new IllegalStateException("memo not ready");
        });

        assertThat(sent).extracting(BrokerMessage::queue)
                .containsExactly(Queues.EVENTS, Queues.ENRICH, Queues.EVENTS, Queues.ENRICH);
    }

    private void normalizeWith(Function<CustomerEvent, Optional<List<CustomerEvent>>> local) {
        Enricher enricher = new Enricher() {
            @Override
            public List<CustomerEvent> enrich(CustomerEvent event) {
                throw new AssertionError("the enrich step is not the normalize step");
            }

            @Override
            public Optional<List<CustomerEvent>> enrichLocally(CustomerEvent event) {
                return local.apply(event);
            }
        };
        NormalizeStage stage = new NormalizeStage(registry(record -> List.of(MESSAGE), enricher),
                new EventMessages(codec, IdentityPolicy.defaults()),
                new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10), 5), Clock.systemUTC());
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(List.of(new BrokerMessage(Queues.RAW, "<xml/>".getBytes(), Map.of(Headers.CONNECTOR, "wechat",
                Headers.INSTANCE, "brand-oa", Headers.RECORD_KEY, "k", Headers.CONTENT_TYPE, "text/xml",
                Headers.RECEIVED_AT, AT.toEpochMilli()), "ID:k")));
        exchange.setProperty(JmsBatchComponent.OUTPUT, (StageOutput) sent::add);
        stage.process(exchange);
    }

    private static ConnectorRegistry registry(Normalizer normalizer, Enricher enricher) {
        ConnectorInstance instance = new ConnectorInstance() {
            @Override
            public Normalizer normalizer() {
                return normalizer;
            }

            @Override
            public Optional<Enricher> enricher() {
                return Optional.of(enricher);
            }

            @Override
            public CheckResult check() {
                return CheckResult.ok("fine");
            }
        };
        return OneRunningInstance.of(instance);
    }
}
