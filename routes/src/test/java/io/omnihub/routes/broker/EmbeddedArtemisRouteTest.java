package io.omnihub.routes.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.omnihub.routes.Queues;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.paging.PagingStore;
import org.apache.activemq.artemis.core.paging.impl.PageTimedWriter;
import org.apache.activemq.artemis.core.paging.impl.PagingStoreImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages routed straight into the embedded broker are the messages the JMS client would have
 * sent, kept as durably and in the same order, paged or not, and left to the client whenever the
 * sender would be made to wait.
 */
class EmbeddedArtemisRouteTest {

    private static final String DIRECT = "test.direct";
    private static final String CLIENT = "test.client";

    @TempDir
    Path data;

    private InVmBroker broker;
    private RawJournal journal;

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
    void aMessageRoutedDirectlyReadsAsTheSameMessageSentThroughTheClient() throws Exception {
        start(configuration());
        EmbeddedArtemisRoute route = new EmbeddedArtemisRoute(broker.server());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(Headers.CONNECTOR, "wechat");
        properties.put(Headers.RECEIVED_AT, 1_765_000_000_123L);
        properties.put(Headers.ATTEMPTS, 3);
        properties.put("hub_flag", true);
        properties.put(Headers.GROUP_ID, "customer-7");
        byte[] binary = {0, (byte) 0xC0, (byte) 0xAF, 'x', (byte) 0xFF};
        List<byte[]> bodies = List.of(binary, new byte[0], "<xml><Content>你好</Content></xml>".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        for (byte[] body : bodies) {
            route.send(BrokerMessage.to(DIRECT, body, properties)).get(10, TimeUnit.SECONDS);
            journal.append(BrokerMessage.to(CLIENT, body, properties)).get(10, TimeUnit.SECONDS);
        }

        try (Connection connection = broker.factory().createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer direct = session.createConsumer(session.createQueue(DIRECT));
            MessageConsumer client = session.createConsumer(session.createQueue(CLIENT));
            for (byte[] body : bodies) {
                Message routed = direct.receive(5_000);
                Message sent = client.receive(5_000);
                assertThat(routed).isInstanceOf(BytesMessage.class);
                assertThat(sent).isInstanceOf(BytesMessage.class);
                BrokerMessage routedMessage = BrokerMessage.fromJms(DIRECT, routed);
                BrokerMessage sentMessage = BrokerMessage.fromJms(CLIENT, sent);
                assertThat(routedMessage.body()).isEqualTo(body).isEqualTo(sentMessage.body());
                assertThat(routedMessage.properties()).isEqualTo(sentMessage.properties()).isEqualTo(properties);
                assertThat(routed.getStringProperty(Headers.GROUP_ID)).isEqualTo("customer-7");
                assertThat(routed.getJMSDeliveryMode()).isEqualTo(sent.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
                assertThat(routed.getJMSPriority()).isEqualTo(sent.getJMSPriority());
                assertThat(routed.getJMSMessageID()).startsWith("ID:").isNotEqualTo(sent.getJMSMessageID());
                assertThat(routed.getJMSTimestamp()).isPositive();
            }
        }
    }

    @Test
    void aScheduledMessageWaitsForItsTime() throws Exception {
        start(configuration());
        EmbeddedArtemisRoute route = new EmbeddedArtemisRoute(broker.server());
        long due = System.currentTimeMillis() + 5_000;

        route.send(BrokerMessage.to(DIRECT, "later".getBytes(), Map.of(Headers.SCHEDULED_DELIVERY, due))).get(10, TimeUnit.SECONDS);

        try (Connection connection = broker.factory().createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(DIRECT));
            assertThat(consumer.receive(1_000)).isNull();
            Message delivered = consumer.receive(15_000);
            assertThat(delivered).isNotNull();
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(due);
        }
    }

    @Test
    void aSendIsConfirmedOnlyOnceItsJournalWriteIsSynced() throws Exception {
        ConfigurationImpl configuration = configuration();
        // The journal writes and syncs what is buffered at most once every two seconds.
        configuration.setJournalBufferTimeout_NIO(2_000_000_000);
        start(configuration);
        EmbeddedArtemisRoute route = new EmbeddedArtemisRoute(broker.server());
        // The first write after a quiet spell is synced at once; the next waits for the buffer's time.
        route.send(BrokerMessage.to(DIRECT, "first".getBytes(), Map.of())).get(15, TimeUnit.SECONDS);

        CompletableFuture<Void> second = route.send(BrokerMessage.to(DIRECT, "second".getBytes(), Map.of()));

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone());
        second.get(15, TimeUnit.SECONDS);
    }

    @Test
    void whatIsRoutedDirectlyIsInTheJournalWhenTheBrokerStartsAgain() throws Exception {
        start(configuration());
        EmbeddedArtemisRoute route = new EmbeddedArtemisRoute(broker.server());
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sends.add(route.send(BrokerMessage.to(DIRECT, ("record " + i).getBytes(), Map.of())));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        journal.close();
        journal = null;
        broker.close();

        start(configuration());

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(depth(DIRECT)).isEqualTo(100));
    }

    @Test
    void largeBodiesAndDeadLettersTakeTheClient() throws Exception {
        start(configuration());
        EmbeddedArtemisRoute route = new EmbeddedArtemisRoute(broker.server());
        journal.close();
        journal = new RawJournal(broker.factory(), 1, 10, Duration.ofSeconds(5), Clock.systemUTC(), () -> false, false, route);
        byte[] large = new byte[600 * 1024]; // more than one journal record may hold: only the client can send it
        Arrays.fill(large, (byte) 'x');

        assertThat(route.takes(BrokerMessage.to(DIRECT, new byte[60 * 1024], Map.of(Headers.CONNECTOR, "erp")))).isTrue();
        assertThat(route.takes(BrokerMessage.to(DIRECT, large, Map.of()))).isFalse();
        // A small body whose properties make a record too large (they are stored two bytes a character).
        assertThat(route.takes(BrokerMessage.to(DIRECT, new byte[1024], Map.of(Headers.ATTRIBUTES, "a".repeat(40_000))))).isFalse();
        assertThat(route.takes(BrokerMessage.to(Queues.DLQ, "bad input".getBytes(), Map.of()))).isFalse();
        journal.append(BrokerMessage.to(DIRECT, large, Map.of(Headers.CONNECTOR, "erp"))).get(10, TimeUnit.SECONDS);
        journal.append(BrokerMessage.to(Queues.DLQ, "bad input".getBytes(), Map.of())).get(10, TimeUnit.SECONDS);

        try (Connection connection = broker.factory().createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message received = session.createConsumer(session.createQueue(DIRECT)).receive(5_000);
            assertThat(BrokerMessage.fromJms(DIRECT, received).body()).isEqualTo(large);
        }
        assertThat(depth(Queues.DLQ)).isEqualTo(1);
    }

    @Test
    void aQueueNearItsMemoryLimitIsLeftToTheClientUntilItPages() throws Exception {
        start(pagingBeyondTwoMegabytes());
        EmbeddedArtemisRoute route = new EmbeddedArtemisRoute(broker.server());
        journal.close();
        journal = new RawJournal(broker.factory(), 1, 100, Duration.ofSeconds(5), Clock.systemUTC(), () -> false, false, route);
        BrokerMessage record = BrokerMessage.to(DIRECT, "r".repeat(8 * 1024).getBytes(), Map.of());
        PagingStore store = broker.server().getPagingManager().getPageStore(SimpleString.of(DIRECT));

        // 256 records are 2 MiB: far more than either loop may take.
        int routedDirectly = 0;
        while (route.takes(record) && routedDirectly < 256) {
            route.send(record).get(10, TimeUnit.SECONDS);
            routedDirectly++;
        }
        assertThat(store.isPaging()).isFalse(); // the route stopped short of the limit
        int throughTheClient = 0;
        while (!store.isPaging() && throughTheClient < 256) {
            journal.append(record).get(10, TimeUnit.SECONDS);
            throughTheClient++;
        }

        assertThat(routedDirectly).isBetween(1, 255);
        assertThat(throughTheClient).isBetween(1, 255);
        assertThat(route.takes(record)).isTrue(); // the queue pages now, its page writer keeps up
        int sent = routedDirectly + throughTheClient;
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(depth(DIRECT)).isEqualTo(sent));
    }

    @Test
    void whatIsRoutedToAPagingQueueIsKeptInOrderAcrossARestart() throws Exception {
        start(pagingBeyondTwoMegabytes());
        EmbeddedArtemisRoute route = new EmbeddedArtemisRoute(broker.server());
        PagingStore store = broker.server().getPagingManager().getPageStore(SimpleString.of(DIRECT));
        String filler = "r".repeat(8 * 1024);
        int inMemory = 0;
        while (!store.isPaging() && inMemory < 512) {
            journal.append(BrokerMessage.to(DIRECT, (inMemory + " " + filler).getBytes(), Map.of())).get(10, TimeUnit.SECONDS);
            inMemory++;
        }
        assertThat(store.isPaging()).isTrue();
        int total = inMemory + 300;
        List<CompletableFuture<Void>> paged = new ArrayList<>();
        for (int i = inMemory; i < total; i++) {
            BrokerMessage record = BrokerMessage.to(DIRECT, (i + " " + filler).getBytes(), Map.of());
            assertThat(route.takes(record)).isTrue();
            paged.add(route.send(record));
        }
        CompletableFuture.allOf(paged.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        journal.close();
        journal = null;
        broker.close();

        start(pagingBeyondTwoMegabytes());

        List<Integer> received = new ArrayList<>();
        try (Connection connection = broker.factory().createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(DIRECT));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.size() < total && System.nanoTime() < deadline) {
                Message message = consumer.receive(1_000);
                if (message != null) {
                    String body = new String(BrokerMessage.fromJms(DIRECT, message).body());
                    received.add(Integer.parseInt(body.substring(0, body.indexOf(' '))));
                }
            }
            assertThat(consumer.receive(500)).isNull();
        }
        assertThat(received).isEqualTo(java.util.stream.IntStream.range(0, total).boxed().toList());
    }

    @Test
    void aPagingQueueWhosePageWriterFallsBehindIsLeftToTheClient() throws Exception {
        start(pagingBeyondTwoMegabytes());
        EmbeddedArtemisRoute route = new EmbeddedArtemisRoute(broker.server());
        BrokerMessage record = BrokerMessage.to(DIRECT, "r".repeat(8 * 1024).getBytes(), Map.of());
        PagingStore store = broker.server().getPagingManager().getPageStore(SimpleString.of(DIRECT));
        while (!store.isPaging()) {
            journal.append(record).get(10, TimeUnit.SECONDS);
        }
        assertThat(route.takes(record)).isTrue();

        // Writes the disk has not taken yet hold the page writer's credit, as a slow disk's would.
        PageTimedWriter writer = ((PagingStoreImpl) store).getPageTimedWriter();
        writer.flowControl(writer.getMaxCredits() / 2 + 1);

        assertThat(route.takes(record)).isFalse();
        journal.append(record).get(10, TimeUnit.SECONDS); // the client still sends it
    }

    @Test
    void sendsFromManyThreadsAtOnceAreAllKept() throws Exception {
        start(configuration());
        journal.close();
        EmbeddedArtemisRoute route = new EmbeddedArtemisRoute(broker.server());
        java.util.concurrent.atomic.AtomicInteger routed = new java.util.concurrent.atomic.AtomicInteger();
        DirectRoute counted = new DirectRoute() {
            @Override
            public boolean takes(BrokerMessage message) {
                return route.takes(message);
            }

            @Override
            public CompletableFuture<Void> send(BrokerMessage message) {
                routed.incrementAndGet();
                return route.send(message);
            }
        };
        journal = new RawJournal(broker.factory(), 1, 1000, Duration.ofSeconds(5), Clock.systemUTC(), () -> false, false, counted);
        List<CompletableFuture<Void>> sends = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int sender = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    sends.add(journal.append(BrokerMessage.to(DIRECT, (sender + "/" + i).getBytes(), Map.of())));
                }
            });
            thread.start();
            senders.add(thread);
        }
        for (Thread sender : senders) {
            sender.join();
        }

        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(depth(DIRECT)).isEqualTo(800));
        assertThat(routed).hasValue(800);
    }

    @Test
    void whileTheBrokersDiskIsFullASendIsRefusedAtOnce() throws Exception {
        ConfigurationImpl configuration = configuration();
        // Any use of the disk counts as full: the client's producers would be blocked now.
        configuration.setMaxDiskUsage(0);
        configuration.setDiskScanPeriod(100);
        start(configuration);
        EmbeddedArtemisRoute route = new EmbeddedArtemisRoute(broker.server());
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.server().getPagingManager().isDiskFull());

        CompletableFuture<Void> send = route.send(BrokerMessage.to(DIRECT, "record".getBytes(), Map.of()));

        assertThat(send).isCompletedExceptionally();
        assertThatThrownBy(send::join).hasCauseInstanceOf(BrokerUnavailableException.class).hasMessageContaining("disk is full");
        assertThat(depth(DIRECT)).isZero();
    }

    @Test
    void aStoppedBrokerRefusesAtOnce() throws Exception {
        start(configuration());
        EmbeddedArtemisRoute route = new EmbeddedArtemisRoute(broker.server());
        journal.close();
        journal = null;
        broker.close();

        CompletableFuture<Void> send = route.send(BrokerMessage.to(DIRECT, "record".getBytes(), Map.of()));

        assertThat(send).isCompletedExceptionally();
        assertThatThrownBy(send::join).hasCauseInstanceOf(BrokerUnavailableException.class).hasMessageContaining("not running");
    }

    /** A persistent broker whose queue {@value #DIRECT} pages beyond 2 MiB in memory. */
    private ConfigurationImpl pagingBeyondTwoMegabytes() {
        ConfigurationImpl configuration = configuration();
        configuration.addAddressSetting(DIRECT, new AddressSettings()
                .setMaxSizeBytes(2 * 1024 * 1024)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE));
        return configuration;
    }

    /** A persistent broker on {@code data}, with the journal's defaults. */
    private ConfigurationImpl configuration() {
        return InVmBroker.persistent(data);
    }

    private void start(ConfigurationImpl configuration) throws Exception {
        broker = InVmBroker.start(configuration, DIRECT, CLIENT, Queues.DLQ);
        journal = new RawJournal(broker.factory(), 1, 100, Duration.ofSeconds(5), Clock.systemUTC(), () -> false, false);
    }

    private long depth(String queue) {
        return broker.depth(queue);
    }
}
