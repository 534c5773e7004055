package io.omnihub.hub.e2e;

import io.omnihub.testsupport.TestClock;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.omnihub.hub.HubApplication;
import io.omnihub.routes.JourneyTimersRoute;
import io.omnihub.routes.SegmentSweepRoute;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Durable timers across hub lifetimes and hub nodes: a hub stopped while customers wait fires their
 * timers after it starts again, once; two hubs on one PostgreSQL fire every due timer once between
 * them, and sweep the segments once a day between them. Each hub is a full Spring context (embedded Artemis, the real WeChat plugin JAR, the shipped
 * cart-abandonment journey), on a clock the test moves.
 */
class JourneyTimersAcrossNodesTest {

    static final String TOKEN = "nodes-token";
    static final String APP_ID = "wx0000000000nodes1";
    static final String PASSWORD = "nodes-admin";
    static final String SEALING_KEY = io.omnihub.hub.sealing.SealingKeys.newKey();
    /** Shared by every hub this test starts: the nodes of a cluster agree on the time. */
    static final TestClock CLOCK = TestClock.at(Instant.parse("2026-04-01T02:00:00Z"));

    @TempDir
    Path work;

    final WireMockServer wechat = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    final List<ConfigurableApplicationContext> hubs = new ArrayList<>();
    EmbeddedPostgres sharedDatabase;

    /** Passed to each hub by name, not found by scanning: other contexts of the test class path never see it. */
    static class SharedTime {
        @Bean
        @Primary
        Clock testClock() {
            return CLOCK;
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (ConfigurableApplicationContext hub : hubs) {
            hub.close();
        }
        wechat.stop();
        if (sharedDatabase != null) {
            sharedDatabase.close();
        }
    }

    @Test
    void aHubStoppedDuringAWaitFiresTheTimerOnceAfterItStartsAgain() {
        wechat.start();
        AutomationEndToEndTest.stubWeChat(wechat, APP_ID);
        Path dataDir = work.resolve("data");
        ConfigurableApplicationContext first = start("first-life", dataDir, null);
        AutomationApi api = api(first);
        String openid = "oRestart_0123456789abcdefghij";
        String cart = postCart(api, openid, 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.applied(openid, APP_ID, cart));
        String customer = api.customerByOpenid(openid, APP_ID).orElseThrow().path("id").asText();
        assertThat(api.get("/api/v1/journeys/cart-abandonment/enrollments?customer=" + customer).get(0).path("step").asText())
                .isEqualTo("wait-for-payment");

        first.close();
        hubs.remove(first);
        CLOCK.advance(Duration.ofHours(25));
        ConfigurableApplicationContext second = start("second-life", dataDir, null);
        AutomationApi again = api(second);

        await().atMost(Duration.ofSeconds(60)).until(() -> templatesTo(openid).size() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> again.get("/api/v1/actions?customer=" + customer + "&status=sent").size() == 1);
        second.getBean(JourneyTimersRoute.class).fireDue();
        assertThat(again.get("/api/v1/automation").path("nextTimerDue").isNull()).isTrue();
        assertThat(again.get("/api/v1/journeys/cart-abandonment/enrollments?customer=" + customer).get(0).path("status").asText())
                .isEqualTo("completed");
        assertThat(templatesTo(openid)).hasSize(1);
    }

    @Test
    void twoHubsOnOneDatabaseFireEachDueTimerExactlyOnce() throws Exception {
        wechat.start();
        AutomationEndToEndTest.stubWeChat(wechat, APP_ID);
        sharedDatabase = EmbeddedPostgres.builder().start();
        String url = sharedDatabase.getJdbcUrl("postgres", "postgres");
        ConfigurableApplicationContext nodeA = start("node-a", work.resolve("a"), url);
        ConfigurableApplicationContext nodeB = start("node-b", work.resolve("b"), url);
        AutomationApi apiA = api(nodeA);
        AutomationApi apiB = api(nodeB);
        int customers = 30;
        List<String> openids = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            String openid = "oNode" + i + "_0123456789abcdefghij";
            openids.add(openid);
            // the shop's events reach either node, as behind a load balancer
            postCart(i % 2 == 0 ? apiA : apiB, openid, i);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from crm_enrollment where status = 'active'") == customers);

        CLOCK.advance(Duration.ofHours(24));
        // both nodes' timer routes run on their own; the test makes both reach for the timers at once as well
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> fireDueWith(together, nodeA));
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> fireDueWith(together, nodeB));
        a.get();
        b.get();

        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from crm_action where id like '%:coupon' and status = 'sent'")
                == customers);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from crm_timer where fired_at is null") == 0);
        assertThat(count("select count(*) from crm_timer where outcome = 'wait over'")).isEqualTo(customers);
        // each timer fired once, and both nodes did part of the work (on their own visits or the test's)
        long firedByA = nodeA.getBean(JourneyTimersRoute.class).firedSoFar();
        long firedByB = nodeB.getBean(JourneyTimersRoute.class).firedSoFar();
        assertThat(firedByA).isPositive();
        assertThat(firedByB).isPositive();
        assertThat(firedByA + firedByB).isEqualTo(count("select count(*) from crm_timer where fired_at is not null"));
        assertThat(count("select count(*) from crm_enrollment where status = 'completed'")).isEqualTo(customers);
        List<LoggedRequest> sends = wechat.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/message/template/send")));
        Set<String> keys = new HashSet<>();
        Set<String> recipients = new HashSet<>();
        for (LoggedRequest send : sends) {
            JsonNode body = AutomationApi.parse(send.getBodyAsString());
            keys.add(body.path("client_msg_id").asText());
            recipients.add(body.path("touser").asText());
        }
        assertThat(sends).hasSize(customers);
        assertThat(keys).hasSize(customers);
        assertThat(recipients).containsExactlyInAnyOrderElementsOf(openids);
        assertThat(apiB.get("/api/v1/journeys/cart-abandonment").path("enrollments").path("completed").asLong()).isEqualTo(customers);
    }

    @Test
    void twoHubsOnOneDatabaseSweepEachDayOnceAndSendEachLapsedCustomerOneWinBackCoupon() throws Exception {
        wechat.start();
        AutomationEndToEndTest.stubWeChat(wechat, APP_ID);
        sharedDatabase = EmbeddedPostgres.builder().start();
        String url = sharedDatabase.getJdbcUrl("postgres", "postgres");
        ConfigurableApplicationContext nodeA = start("node-a", work.resolve("a"), url);
        ConfigurableApplicationContext nodeB = start("node-b", work.resolve("b"), url);
        int customers = 12;
        List<String> openids = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            String openid = "oLapse" + i + "_0123456789abcdefghij";
            openids.add(openid);
            postOrder(i % 2 == 0 ? api(nodeA) : api(nodeB), openid, i);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from crm_order") == customers);
        String today = CLOCK.instant().toString().substring(0, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> sweepFinished(today));

        CLOCK.advance(Duration.ofDays(31)); // no event: the sweep of the new day finds them lapsed
        String lapsedDay = CLOCK.instant().toString().substring(0, 10);

        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from crm_action where origin = 'journey:win-back' "
                + "and status = 'sent'") == customers);
        assertThat(sweepFinished(lapsedDay)).isTrue();
        assertThat(count("select count(*) from crm_segment_member where segment_id = 'lapsed-30d'")).isEqualTo(customers);
        for (String openid : openids) {
            assertThat(templatesTo(openid)).singleElement()
                    .satisfies(t -> assertThat(t.path("template_id").asText()).isEqualTo("win-back-template"));
        }

        // the next day both nodes look again: one sweeps, nobody enters again, nothing is sent again
        CLOCK.advance(Duration.ofDays(1));
        String nextDay = CLOCK.instant().toString().substring(0, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> sweepFinished(nextDay));
        assertThat(nodeA.getBean(SegmentSweepRoute.class).runDue()).isEmpty();
        assertThat(nodeB.getBean(SegmentSweepRoute.class).runDue()).isEmpty();
        assertThat(count("select count(*) from crm_sweep_claim where job = 'segment-sweep'"))
                .as("one claim per day, whichever node took it").isEqualTo(count("select count(distinct period) from crm_sweep_claim where job = 'segment-sweep'"));
        assertThat(count("select count(*) from crm_enrollment where journey_id = 'win-back'")).isEqualTo(customers);
        assertThat(count("select count(*) from crm_action where origin = 'journey:win-back'")).isEqualTo(customers);
        assertThat(wechat.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/message/template/send")))).hasSize(customers);
    }

    // ------------------------------------------------------------------------------------------

    private boolean sweepFinished(String period) throws Exception {
        return count("select count(*) from crm_sweep_claim where job = 'segment-sweep' and period = '" + period
                + "' and finished_at is not null") == 1;
    }

    private static void postOrder(AutomationApi api, String openid, int n) {
        ObjectNode paid = AutomationApi.openid(AutomationApi.event("shop:order:" + openid, "order.paid", "/connectors/shop/web",
                CLOCK.instant()), openid, APP_ID);
        ObjectNode data = AutomationApi.data(paid);
        data.putObject("consent").put("marketing", true);
        data.putObject("order").put("id", "SO-" + n).put("status", "PAID").put("currency", "CNY").put("totalMinor", 9_900 + n);
        HttpResponse<String> answer = api.postEvents(paid);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    }

    /** Fires what is due on {@code node} once both callers are ready, so the two reach for the timers at once. */
    private static int fireDueWith(java.util.concurrent.CyclicBarrier together, ConfigurableApplicationContext node) {
        try {
            together.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return node.getBean(JourneyTimersRoute.class).fireDue();
    }

    private ConfigurableApplicationContext start(String name, Path dataDir, String databaseUrl) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--hub.data-dir=" + dataDir,
                "--hub.plugins.dir=" + TestPlugins.pluginsFolderWithWeChat(),
                "--hub.security.admin-password=" + PASSWORD,
                // One cluster, one sealing key: what one node seals (cached tokens), the other opens.
                "--hub.security.sealing.key=" + SEALING_KEY,
                "--camel.springboot.name=" + name,
                // every embedded broker in this JVM gets its own in-VM server id from Spring Boot
                "--spring.jmx.enabled=false",
                "--management.metrics.use-global-registry=false",
                "--hub.automation.dir=" + Path.of("..", "automation").toAbsolutePath().normalize(),
                "--hub.automation.timer-interval=100ms",
                "--hub.automation.outbox-interval=100ms",
                "--hub.automation.sweep.check-interval=200ms",
                "--hub.connectors.wechat.brand-oa.kind=mp",
                "--hub.connectors.wechat.brand-oa.app-id=" + APP_ID,
                "--hub.connectors.wechat.brand-oa.app-secret=nodes-secret",
                "--hub.connectors.wechat.brand-oa.token=" + TOKEN,
                "--hub.connectors.wechat.brand-oa.api-base-url=" + wechat.baseUrl(),
                "--hub.connectors.wechat.brand-oa.timestamp-tolerance=0"));
        if (databaseUrl != null) {
            args.add("--spring.datasource.url=" + databaseUrl);
            args.add("--spring.datasource.username=postgres");
            args.add("--spring.datasource.password=");
        }
        ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class, SharedTime.class)
                .run(args.toArray(String[]::new));
        hubs.add(hub);
        AutomationApi api = api(hub);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/connectors").toString().contains("\"RUNNING\""));
        return hub;
    }

    private static AutomationApi api(ConfigurableApplicationContext hub) {
        return new AutomationApi("http://localhost:" + hub.getEnvironment().getProperty("local.server.port"), "admin", PASSWORD);
    }

    private static String postCart(AutomationApi api, String openid, int n) {
        ObjectNode cart = AutomationApi.openid(AutomationApi.event("shop:cart:" + openid, "cart.updated", "/connectors/shop/web",
                CLOCK.instant()), openid, APP_ID);
        ObjectNode data = AutomationApi.data(cart);
        data.putObject("consent").put("marketing", true);
        data.putObject("order").put("id", "CART-" + n).put("currency", "CNY").put("totalMinor", 100_000 + n);
        HttpResponse<String> answer = api.postEvents(cart);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return cart.path("id").asText();
    }

    private List<JsonNode> templatesTo(String openid) {
        List<JsonNode> out = new ArrayList<>();
        for (LoggedRequest r : wechat.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/message/template/send")))) {
            JsonNode body = AutomationApi.parse(r.getBodyAsString());
            if (openid.equals(body.path("touser").asText())) {
                out.add(body);
            }
        }
        return out;
    }

    private long count(String sql) throws Exception {
        try (Connection c = sharedDatabase.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
