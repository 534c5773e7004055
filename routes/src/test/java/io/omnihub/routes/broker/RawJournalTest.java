package io.omnihub.routes.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.omnihub.routes.Queues;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal confirms what the broker keeps, and never makes its caller wait for a broker that is gone. */
class RawJournalTest {

    private static final Duration PERSIST_TIMEOUT = Duration.ofMillis(1500);

    private InVmBroker broker;
    private RawJournal journal;
    private volatile boolean deadLettersFull;

    @AfterEach
    void stop() throws Exception {
        if (journal != null) {
            journal.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aSendCompletesOnceTheBrokerHasTheMessage() throws Exception {
        start();

        journal.appendAll(List.of(message(Queues.RAW, "one"), message(Queues.RAW, "two"))).get(10, TimeUnit.SECONDS);

        // The broker confirms a send once it is stored; its queue's count may catch up a moment later.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(depth(Queues.RAW)).isEqualTo(2));
    }

    @Test
    void everySendLeavesTheInFlightCountOnceConfirmedOrRefused() throws Exception {
        start();
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sends.add(journal.append(message(Queues.RAW, "record " + i)));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> journal.inFlight() == 0);

        deadLettersFull = true;
        CompletableFuture<Void> refused = journal.append(message(Queues.DLQ, "bad input"));
        assertThatThrownBy(() -> refused.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(BrokerUnavailableException.class);
        assertThat(journal.inFlight()).isZero();
    }

    @Test
    void whileTheBrokerIsGoneASendFailsAtOnceAndNeverBlocksItsCaller() throws Exception {
        start();
        journal.append(message(Queues.RAW, "before")).get(10, TimeUnit.SECONDS);

        broker.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !journal.reachable());
        long started = System.nanoTime();
        CompletableFuture<Void> send = journal.append(message(Queues.RAW, "during"));
        Duration returnedAfter = Duration.ofNanos(System.nanoTime() - started);

        assertThat(returnedAfter).isLessThan(Duration.ofMillis(200));
        assertThatThrownBy(() -> send.get(PERSIST_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(BrokerUnavailableException.class);
    }

    @Test
    void aDeadLetterIsRefusedAtOnceWhileTheDeadLetterQueueIsFull() throws Exception {
        start();
        deadLettersFull = true;

        CompletableFuture<Void> parked = journal.append(message(Queues.DLQ, "bad input"));
        CompletableFuture<Void> raw = journal.append(message(Queues.RAW, "good input"));

        assertThatThrownBy(() -> parked.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(BrokerUnavailableException.class)
                .hasMessageContaining("dead-letter queue is full");
        raw.get(10, TimeUnit.SECONDS);
        assertThat(depth(Queues.DLQ)).isZero();
    }

    @Test
    void directSendsTimeOutAndBeyondTheirBoundTakeTheLanesUntilTheBrokerAnswers() throws Exception {
        start();
        journal.close();
        // A broker in this JVM that takes every message and answers only when the test says so.
        List<CompletableFuture<Void>> routed = new ArrayList<>();
        DirectRoute slow = new DirectRoute() {
            @Override
            public boolean takes(BrokerMessage message) {
                return true;
            }

            @Override
            public CompletableFuture<Void> send(BrokerMessage message) {
                CompletableFuture<Void> answer = new CompletableFuture<>();
                routed.add(answer);
                return answer;
            }
        };
        journal = new RawJournal(broker.factory(), 1, 3, PERSIST_TIMEOUT, Clock.systemUTC(), () -> false, false, slow);

        List<CompletableFuture<Void>> held = List.of(journal.append(message(Queues.RAW, "one")),
                journal.append(message(Queues.RAW, "two")), journal.append(message(Queues.RAW, "three")));
        journal.append(message(Queues.RAW, "four")).get(10, TimeUnit.SECONDS);

        assertThat(routed).hasSize(3);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(depth(Queues.RAW)).isEqualTo(1));
        for (CompletableFuture<Void> send : held) {
            assertThatThrownBy(() -> send.get(PERSIST_TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS))
                    .hasCauseInstanceOf(BrokerUnavailableException.class).hasMessageContaining("did not confirm");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> journal.inFlight() == 0);

        // Timed out, but the broker still holds them: the lanes take the next one too.
        journal.append(message(Queues.RAW, "five")).get(10, TimeUnit.SECONDS);
        assertThat(routed).hasSize(3);
        routed.forEach(answer -> answer.complete(null));
        CompletableFuture<Void> sixth = journal.append(message(Queues.RAW, "six"));
        assertThat(routed).hasSize(4);
        routed.get(3).complete(null);
        sixth.get(1, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(depth(Queues.RAW)).isEqualTo(2));
    }

    @Test
    void aBacklogPagedToDiskCostsTheBrokerNoHeapPerMessageWithoutDuplicateIds(@TempDir Path data) throws Exception {
        startPaging(data, false);

        appendBacklog(300);

        assertThat(broker.server().getPagingManager().getPageStore(SimpleString.of(Queues.RAW)).isPaging()).isTrue();
        assertThat(broker.server().getPagingManager().getTransactions()).isEmpty();
    }

    @Test
    void withDuplicateIdsThePagedBacklogHoldsOneBrokerTransactionPerMessage(@TempDir Path data) throws Exception {
        // What an external broker that can fail over pays for dropping resent copies (RawJournal's duplicateIds).
        startPaging(data, true);

        appendBacklog(300);

        assertThat(broker.server().getPagingManager().getTransactions().size()).isGreaterThan(200);
    }

    private void appendBacklog(int messages) throws Exception {
        String body = "x".repeat(1024);
        // In rounds the lanes can hold (two of 100 sends each).
        for (int sent = 0; sent < messages; sent += 100) {
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = sent; i < Math.min(messages, sent + 100); i++) {
                sends.add(journal.append(message(Queues.RAW, i + body)));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(depth(Queues.RAW)).isEqualTo(messages));
    }

    private void start() throws Exception {
        start(InVmBroker.inMemory(), false);
    }

    /** A persistent broker whose {@code hub.raw} pages to {@code data} beyond 16 KB. */
    private void startPaging(Path data, boolean duplicateIds) throws Exception {
        ConfigurationImpl configuration = InVmBroker.persistent(data);
        configuration.addAddressSetting(Queues.RAW, new AddressSettings()
                .setMaxSizeBytes(16 * 1024)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE));
        start(configuration, duplicateIds);
    }

    private void start(ConfigurationImpl configuration, boolean duplicateIds) throws Exception {
        broker = InVmBroker.start(configuration, Queues.RAW, Queues.DLQ);
        journal = new RawJournal(broker.factory(), 2, 100, PERSIST_TIMEOUT, Clock.systemUTC(), () -> deadLettersFull, duplicateIds);
    }

    private long depth(String queue) {
        return broker.depth(queue);
    }

    private static BrokerMessage message(String queue, String body) {
        return BrokerMessage.to(queue, body.getBytes(), Map.of(Headers.CONNECTOR, "test"));
    }
}
