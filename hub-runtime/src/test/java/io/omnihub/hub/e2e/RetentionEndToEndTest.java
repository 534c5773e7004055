package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.omnihub.hub.HubApplication;
import io.omnihub.hub.privacy.retention.RetentionSweep;
import io.omnihub.routes.NormalizeRoute;
import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.DeadLetters;
import io.omnihub.routes.broker.RawRecords;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testsupport.TestClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSContext;
import jakarta.jms.QueueBrowser;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Retention through real hubs (embedded PostgreSQL and Artemis) on a clock the test moves: each kind
 * of data older than its period is swept by the daily sweep and what is younger is kept; two hubs on
 * one database sweep a day once between them.
 */
class RetentionEndToEndTest {

    static final String PASSWORD = "retention-admin";
    /** 04:00 in Shanghai: past the sweep's default start at 03:00 there. */
    static final Instant START = Instant.parse("2026-03-01T20:00:00Z");
    static final TestClock CLOCK = TestClock.at(START);

    @TempDir
    Path work;

    EmbeddedPostgres database;
    final List<ConfigurableApplicationContext> hubs = new ArrayList<>();

    /** Passed to each hub by name, not found by scanning. */
    static class SharedTime {
        @Bean
        @Primary
        Clock testClock() {
            return CLOCK;
        }
    }

    @BeforeEach
    void startDatabase() throws Exception {
        CLOCK.set(START);
        database = EmbeddedPostgres.builder().start();
    }

    @AfterEach
    void stop() throws Exception {
        for (ConfigurableApplicationContext hub : hubs) {
            hub.close();
        }
        database.close();
    }

    @Test
    void eachKindOfDataOlderThanItsPeriodIsSweptAndYoungerDataIsKept() throws Exception {
        ConfigurableApplicationContext hub = start("node-a", "--hub.privacy.retention.timeline-detail=P10D",
                "--hub.privacy.retention.action-payloads=P10D", "--hub.privacy.retention.dead-letters=P10D",
                "--hub.privacy.retention.raw-records=P10D", "--hub.privacy.retention.audit=P10D");
        AutomationApi api = api(hub);
        hub.getBean(CamelContext.class).getRouteController().stopRoute(NormalizeRoute.ROUTE_ID);
        String openid = "oRetention_0123456789abcdefgh";

        postMessage(api, "old-message", openid, "王芳: 我的地址是上海市静安区南京西路1号");
        finishedAction("rule:old", hub);
        park(hub, "old-dead-letter");
        queueRaw(hub, "old-raw");
        String discarded = park(hub, "discarded-early");
        HttpResponse<String> discard = api.postJson("/api/v1/dlq/" + discarded + "/discard",
                AutomationApi.JSON.createObjectNode().put("reason", "a test message"));
        assertThat(discard.statusCode()).as(discard.body()).isEqualTo(200);

        CLOCK.advance(Duration.ofDays(5));
        postMessage(api, "young-message", openid, "还在吗");
        finishedAction("rule:young", hub);
        String youngDeadLetter = park(hub, "young-dead-letter");
        queueRaw(hub, "young-raw");
        CLOCK.advance(Duration.ofDays(6));

        assertThat(hub.getBean(RetentionSweep.class).runDue()).isTrue();

        JsonNode customer = api.customerByOpenid(openid, "wx-retention").orElseThrow();
        JsonNode oldEntry = entry(customer, "old-message");
        assertThat(oldEntry.path("type").asText()).isEqualTo("message.received");
        assertThat(oldEntry.path("summary").toString()).isEqualTo("{\"message\":{\"kind\":\"text\"},\"detailDropped\":true}");
        assertThat(entry(customer, "young-message").path("summary").path("message").path("text").asText()).isEqualTo("还在吗");
        assertThat(count("select count(*) from crm_action where payload = '{}'::jsonb and recipient_value is null")).isEqualTo(1);
        assertThat(count("select count(*) from crm_action where id = 'rule:young' and recipient_value = '13912345678'")).isEqualTo(1);
        assertThat(browse(hub, Queues.DLQ)).containsExactly(youngDeadLetter);
        assertThat(browseKeys(hub)).containsExactly("young-raw");
        // the early discard's audit row is past the audit period; the sweep's own removals are audited now
        assertThat(count("select count(*) from hub_dead_letter_audit where actor = 'retention'")).isEqualTo(1);
        assertThat(count("select count(*) from hub_dead_letter_audit where actor <> 'retention'")).isZero();

        JsonNode retention = api.get("/api/v1/privacy/retention");
        assertThat(retention.path("zone").asText()).isEqualTo("Asia/Shanghai");
        Map<String, Long> swept = new java.util.TreeMap<>();
        for (JsonNode kind : retention.path("kinds")) {
            assertThat(kind.path("lastRun").path("error").isNull()).as(kind.toString()).isTrue();
            assertThat(kind.path("lastRun").path("node").asText()).isEqualTo("node-a");
            swept.put(kind.path("kind").asText(), kind.path("lastRun").path("swept").asLong());
        }
        assertThat(swept).isEqualTo(Map.of("timeline-detail", 1L, "action-payloads", 1L, "dead-letters", 1L, "raw-records", 1L, "audit", 1L));
        assertThat(retention.path("lastSweep").path("period").asText()).isEqualTo("2026-03-13");
        assertThat(retention.path("lastSweep").path("outcome").asText()).contains("timeline-detail 1", "audit 1");
        assertThat(hub.getBean(MeterRegistry.class).get("hub.privacy.retention.swept").tag("kind", "dead-letters").counter().count())
                .isEqualTo(1.0);

        assertThat(hub.getBean(RetentionSweep.class).runDue()).as("a day is swept once").isFalse();
    }

    @Test
    void twoHubsOnOneDatabaseSweepADayOnceBetweenThem() throws Exception {
        ConfigurableApplicationContext nodeA = start("node-a");
        ConfigurableApplicationContext nodeB = start("node-b");
        AutomationApi api = api(nodeA);
        for (int i = 0; i < 5; i++) {
            postMessage(i % 2 == 0 ? api : api(nodeB), "message-" + i, "oTwoNodes" + i + "_0123456789abcdefgh", "王芳 留言 " + i);
        }
        CLOCK.advance(Duration.ofDays(366));

        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<Boolean> a = CompletableFuture.supplyAsync(() -> runDueWith(together, nodeA));
        CompletableFuture<Boolean> b = CompletableFuture.supplyAsync(() -> runDueWith(together, nodeB));
        a.get(120, TimeUnit.SECONDS);
        b.get(120, TimeUnit.SECONDS);

        double byA = swept(nodeA, "timeline-detail");
        double byB = swept(nodeB, "timeline-detail");
        assertThat(byA + byB).isEqualTo(5.0);
        assertThat(Math.min(byA, byB)).as("one node swept the database").isZero();
        assertThat(count("select count(*) from crm_timeline where (summary ->> 'detailDropped') is null")).isZero();
        assertThat(count("select count(*) from crm_sweep_claim where job = 'retention' and finished_at is not null")).isEqualTo(1);
        // each node's embedded broker is its own: each swept its own queues
        assertThat(count("select count(*) from crm_sweep_claim where job like 'retention@node-%' and finished_at is not null")).isEqualTo(2);
        assertThat(nodeA.getBean(RetentionSweep.class).runDue()).isFalse();
        assertThat(nodeB.getBean(RetentionSweep.class).runDue()).isFalse();
    }

    // ------------------------------------------------------------------------------------------

    private static boolean runDueWith(CyclicBarrier together, ConfigurableApplicationContext node) {
        try {
            together.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return node.getBean(RetentionSweep.class).runDue();
    }

    private static double swept(ConfigurableApplicationContext node, String kind) {
        return node.getBean(MeterRegistry.class).get("hub.privacy.retention.swept").tag("kind", kind).counter().count();
    }

    private static void postMessage(AutomationApi api, String id, String openid, String text) {
        ObjectNode event = AutomationApi.openid(AutomationApi.event(id, "message.received", "/connectors/shop/web", CLOCK.instant()),
                openid, "wx-retention");
        AutomationApi.data(event).putObject("message").put("kind", "text").put("text", text);
        HttpResponse<String> answer = api.postEvents(event);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.applied(openid, "wx-retention", id));
    }

    private void finishedAction(String id, ConfigurableApplicationContext hub) throws Exception {
        try (Connection c = database.getPostgresDatabase().getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into crm_action (id, customer_id, origin, kind, connector, instance, recipient_type, recipient_value, payload,
                                        status, not_before, created_at, updated_at)
                values (?, ?, 'rule', 'message', 'sms', 'main', 'phone', '13912345678', '{"text": "王芳，您好"}'::jsonb, 'sent', ?, ?, ?)""")) {
            Timestamp now = Timestamp.from(CLOCK.instant());
            ps.setString(1, id);
            ps.setObject(2, UUID.randomUUID());
            ps.setTimestamp(3, now);
            ps.setTimestamp(4, now);
            ps.setTimestamp(5, now);
            ps.executeUpdate();
        }
    }

    /** Parks a message on hub.dlq as the core stage does, failing now; returns its id. */
    private static String park(ConfigurableApplicationContext hub, String key) throws Exception {
        BrokerMessage raw = RawRecords.toMessage("shop", "web", rawRecord(key));
        BrokerMessage parked = new DeadLetters(CLOCK).park(raw, "normalize", new IllegalArgumentException("not a canonical event"));
        send(hub, parked);
        return browse(hub, Queues.DLQ).get(browse(hub, Queues.DLQ).size() - 1);
    }

    private static void queueRaw(ConfigurableApplicationContext hub, String key) throws Exception {
        send(hub, RawRecords.toMessage("shop", "web", rawRecord(key)));
    }

    private static RawRecord rawRecord(String key) {
        return new RawRecord(key, "application/json",
                ("{\"mobile\":\"13912345678\",\"name\":\"王芳\",\"key\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8),
                Map.of(), CLOCK.instant());
    }

    private static void send(ConfigurableApplicationContext hub, BrokerMessage message) throws Exception {
        try (JMSContext context = hub.getBean("pipelineConnectionFactory", ActiveMQConnectionFactory.class).createContext()) {
            BytesMessage jms = context.createBytesMessage();
            jms.writeBytes(message.body());
            for (Map.Entry<String, Object> property : message.properties().entrySet()) {
                if (property.getValue() != null) {
                    jms.setObjectProperty(property.getKey(), property.getValue());
                }
            }
            context.createProducer().send(context.createQueue(message.queue()), jms);
        }
    }

    private static List<String> browse(ConfigurableApplicationContext hub, String queue) throws Exception {
        List<String> ids = new ArrayList<>();
        try (JMSContext context = hub.getBean("pipelineConnectionFactory", ActiveMQConnectionFactory.class).createContext();
             QueueBrowser browser = context.createBrowser(context.createQueue(queue))) {
            for (Object message : Collections.list(browser.getEnumeration())) {
                ids.add(((jakarta.jms.Message) message).getJMSMessageID());
            }
        }
        return ids;
    }

    private static List<String> browseKeys(ConfigurableApplicationContext hub) throws Exception {
        List<String> keys = new ArrayList<>();
        try (JMSContext context = hub.getBean("pipelineConnectionFactory", ActiveMQConnectionFactory.class).createContext();
             QueueBrowser browser = context.createBrowser(context.createQueue(Queues.RAW))) {
            for (Object message : Collections.list(browser.getEnumeration())) {
                keys.add(((jakarta.jms.Message) message).getStringProperty(io.omnihub.routes.broker.Headers.RECORD_KEY));
            }
        }
        return keys;
    }

    private static JsonNode entry(JsonNode customer, String eventId) {
        for (JsonNode entry : customer.path("timeline")) {
            if (eventId.equals(entry.path("eventId").asText())) {
                return entry;
            }
        }
        throw new AssertionError("no timeline entry " + eventId + " in " + customer.path("timeline"));
    }

    private ConfigurableApplicationContext start(String name, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--hub.data-dir=" + work.resolve(name),
                "--hub.plugins.dir=" + work.resolve(name + "-plugins"),
                "--hub.security.admin-password=" + PASSWORD,
                "--hub.cluster.node-id=" + name,
                "--camel.springboot.name=" + name,
                "--spring.jmx.enabled=false",
                "--management.metrics.use-global-registry=false",
                "--spring.datasource.url=" + database.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password="));
        args.addAll(List.of(extra));
        ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class, SharedTime.class)
                .run(args.toArray(String[]::new));
        hubs.add(hub);
        return hub;
    }

    private static AutomationApi api(ConfigurableApplicationContext hub) {
        return new AutomationApi("http://localhost:" + hub.getEnvironment().getProperty("local.server.port"), "admin", PASSWORD);
    }

    private long count(String sql) throws Exception {
        try (Connection c = database.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
