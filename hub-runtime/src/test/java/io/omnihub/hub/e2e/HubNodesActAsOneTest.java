package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.omnihub.hub.HubApplication;
import io.omnihub.hub.PluginJars;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two hub nodes on one PostgreSQL act as one: what an operator does over one node's API or console
 * takes effect on the other within seconds, a console login works on both, and the board of either
 * adds up the traffic of both. Each node is a full hub (the real WeChat and POS plugins from its own
 * plugins folder); each has its own embedded broker here, since none of this goes through the broker
 * (the failover drill, {@code deploy/drill/failover.sh}, runs nodes on an external Artemis pair).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HubNodesActAsOneTest {

    static final String PASSWORD = "cluster-admin";
    static final String APP_ID = "wx00000000cluster1";
    static final String TOKEN = "cluster-token";

    final WireMockServer wechatApi = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    final List<ConfigurableApplicationContext> hubs = new ArrayList<>();
    Path work;
    Path posDrop;
    EmbeddedPostgres database;
    ConfigurableApplicationContext nodeA;
    ConfigurableApplicationContext nodeB;
    ApiCalls apiA;
    ApiCalls apiB;

    @BeforeAll
    void startTwoNodes() throws IOException {
        work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cluster-");
        posDrop = Files.createDirectories(work.resolve("pos-drop"));
        wechatApi.start();
        AutomationEndToEndTest.stubWeChat(wechatApi, APP_ID);
        database = EmbeddedPostgres.builder().start();
        String url = database.getJdbcUrl("postgres", "postgres");
        nodeA = start("node-a", url);
        nodeB = start("node-b", url);
        apiA = new ApiCalls(baseUrl(nodeA));
        apiB = new ApiCalls(baseUrl(nodeB));
    }

    @AfterAll
    void stopNodes() throws IOException {
        for (ConfigurableApplicationContext hub : hubs) {
            hub.close();
        }
        wechatApi.stop();
        if (database != null) {
            database.close();
        }
    }

    @Test
    void pausingAnInstanceOnOneNodeShowsPausedOnTheOtherWithinFiveSecondsAndNeitherPollsItUntilResumed() throws IOException {
        ApiCalls.Reply paused = asAdmin(apiA, "POST", "/api/v1/connectors/pos/instances/stores/pause");
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> state(apiB, "pos", "stores").equals("PAUSED"));

        // Both nodes poll the folder every second while the instance runs; paused, the file stays put.
        Path tickets = posDrop.resolve("tickets-paused.csv");
        Files.writeString(posDrop.resolve(".tickets.part"), """
                小票号,门店,时间,手机号,会员卡号,金额
                C-0001,静安店,2026-11-20 09:30:15,13911112222,CLUSTER01,88.50
                """, StandardCharsets.UTF_8);
        Files.move(posDrop.resolve(".tickets.part"), tickets, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> Files.exists(tickets));

        ApiCalls.Reply resumed = asAdmin(apiB, "POST", "/api/v1/connectors/pos/instances/stores/resume");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> state(apiA, "pos", "stores").equals("RUNNING"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(posDrop.resolve("done").resolve("tickets-paused.csv")));
        await().atMost(Duration.ofSeconds(30)).until(() -> asAdmin(apiB, "GET",
                "/api/v1/customers?identity=member_card:CLUSTER01&namespace=acme").status() == 200);
    }

    @Test
    void anInstanceCreatedAndDeletedOnOneNodeComesAndGoesOnTheOther() {
        ApiCalls.Reply created = apiA.call("PUT", "/api/v1/connectors/wechat/instances/made-on-a",
                ApiCalls.json(java.util.Map.of("kind", "mp", "app-id", "wx0000000000madeona", "token", "made-on-a-token")),
                "admin", PASSWORD);
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(5)).until(() -> asAdmin(apiB, "GET", "/api/v1/connectors/wechat/instances/made-on-a").status() == 200
                && state(apiB, "wechat", "made-on-a").equals("RUNNING"));
        WeChatWebhookClient viaB = new WeChatWebhookClient(baseUrl(nodeB), "made-on-a-token", null, "wx0000000000madeona");
        assertThat(viaB.verifyUrl("made-on-a", "echo-from-b").body()).isEqualTo("echo-from-b");

        assertThat(asAdmin(apiB, "DELETE", "/api/v1/connectors/wechat/instances/made-on-a").status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> asAdmin(apiA, "GET", "/api/v1/connectors/wechat/instances/made-on-a").status() == 404);
    }

    @Test
    void aPluginUploadedToOneNodeIsStartedOnTheOtherFromItsOwnFolder() throws Exception {
        byte[] jar = Files.readAllBytes(PluginJars.path("tmall"));
        String sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(jar));

        HttpResponse<String> uploaded = OperatorBrowser.uploadPlugin(baseUrl(nodeA), jar, "admin", PASSWORD);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);

        JsonNode onB = await().atMost(Duration.ofSeconds(10)).until(() -> asAdmin(apiB, "GET", "/api/v1/plugins/tmall"),
                reply -> reply.status() == 200 && reply.json().path("state").asText().equals("STARTED")).json();
        assertThat(onB.path("sha256").asText()).isEqualTo(sha256);
        assertThat(onB.path("connectors").toString()).contains("tmall");
        Path folderB = Path.of(nodeB.getEnvironment().getProperty("hub.plugins.dir"));
        assertThat(Files.readAllBytes(folderB.resolve(onB.path("file").asText()))).isEqualTo(jar);

        assertThat(asAdmin(apiB, "POST", "/api/v1/plugins/tmall/disable").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> asAdmin(apiA, "GET", "/api/v1/plugins/tmall").json()
                .path("state").asText().equals("DISABLED"));
        assertThat(asAdmin(apiA, "POST", "/api/v1/plugins/tmall/start").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> asAdmin(apiB, "GET", "/api/v1/plugins/tmall").json()
                .path("state").asText().equals("STARTED"));
    }

    @Test
    void aConsoleSessionFromOneNodeWorksOnTheOtherWithItsCsrfToken() throws Exception {
        OperatorBrowser browser = new OperatorBrowser();
        HttpResponse<String> loggedIn = browser.logIn(baseUrl(nodeA), "admin", PASSWORD);
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        assertThat(loggedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");

        // The same cookie, sent to the other node (cookies belong to the host, not the port).
        HttpResponse<String> sessionOnB = browser.send(HttpRequest.newBuilder(URI.create(baseUrl(nodeB) + "/api/v1/session"))
                .GET().build());
        assertThat(sessionOnB.statusCode()).isEqualTo(200);
        JsonNode session = new ApiCalls.Reply(200, sessionOnB.body()).json();
        assertThat(session.path("user").asText()).isEqualTo("admin");

        HttpResponse<String> checkOnB = browser.send(HttpRequest.newBuilder(
                        URI.create(baseUrl(nodeB) + "/api/v1/connectors/wechat/instances/brand-oa/check"))
                .header(session.path("csrf").path("header").asText(), session.path("csrf").path("token").asText())
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(checkOnB.statusCode()).isEqualTo(202);

        HttpResponse<String> withoutLogin = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(baseUrl(nodeB) + "/api/v1/session")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withoutLogin.statusCode()).isEqualTo(401);
    }

    @Test
    void theBoardOfEitherNodeShowsTheEventsBothApplied() {
        WeChatWebhookClient toA = new WeChatWebhookClient(baseUrl(nodeA), TOKEN, null, APP_ID);
        WeChatWebhookClient toB = new WeChatWebhookClient(baseUrl(nodeB), TOKEN, null, APP_ID);
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 6; i++) {
            String openid = "oBoardCluster" + i + "_0123456789abcd";
            WeChatWebhookClient node = i < 4 ? toA : toB;
            assertThat(node.postPlain("brand-oa", openid, WeChatWebhookClient.text(openid, now, "hello " + i, 880_000L + i))
                    .statusCode()).isEqualTo(200);
        }

        JsonNode row = await().atMost(Duration.ofSeconds(30)).until(() -> boardRow(apiB, "wechat", "brand-oa"),
                r -> r.path("eventsPerMinute").asLong() == 6);
        assertThat(row.path("nodeStates").size()).isEqualTo(2);
        assertThat(row.path("nodeStates").toString()).contains("node-a", "node-b");
        JsonNode boardA = asAdmin(apiA, "GET", "/api/v1/board").json();
        assertThat(boardA.path("nodes")).extracting(node -> node.path("nodeId").asText()).contains("node-a", "node-b");
        await().atMost(Duration.ofSeconds(30)).until(() -> boardRow(apiA, "wechat", "brand-oa").path("eventsPerMinute").asLong() == 6);
    }

    // ------------------------------------------------------------------------------------------

    private ConfigurableApplicationContext start(String name, String databaseUrl) {
        Path plugins = PluginJars.folderWith("wechat", "pos");
        ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class).run(
                "--server.port=0",
                "--hub.data-dir=" + work.resolve(name),
                "--hub.plugins.dir=" + plugins,
                "--hub.security.admin-password=" + PASSWORD,
                // Every node seals and opens the secrets they share in the database with one key.
                "--hub.security.sealing.key=c2hhcmVkLWNsdXN0ZXIta2V5LWZvci10ZXN0cy0zMmI=",
                "--hub.cluster.node-id=" + name,
                "--hub.cluster.heartbeat-interval=1s",
                "--camel.springboot.name=" + name,
                "--spring.jmx.enabled=false",
                "--management.metrics.use-global-registry=false",
                "--spring.datasource.url=" + databaseUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--hub.automation.dir=" + work.resolve("no-automation"),
                "--hub.connectors.wechat.brand-oa.kind=mp",
                "--hub.connectors.wechat.brand-oa.app-id=" + APP_ID,
                "--hub.connectors.wechat.brand-oa.app-secret=cluster-secret",
                "--hub.connectors.wechat.brand-oa.token=" + TOKEN,
                "--hub.connectors.wechat.brand-oa.api-base-url=" + wechatApi.baseUrl(),
                "--hub.connectors.pos.stores.source=csv-folder",
                "--hub.connectors.pos.stores.folder=" + posDrop,
                "--hub.connectors.pos.stores.brand=acme",
                "--hub.connectors.pos.stores.settle-seconds=0",
                "--hub.connectors.pos.stores.poll-interval=1s");
        hubs.add(hub);
        ApiCalls api = new ApiCalls(baseUrl(hub));
        await().atMost(Duration.ofSeconds(60)).until(() -> state(api, "wechat", "brand-oa").equals("RUNNING"));
        return hub;
    }

    private static String baseUrl(ConfigurableApplicationContext hub) {
        return "http://localhost:" + hub.getEnvironment().getProperty("local.server.port");
    }

    private static ApiCalls.Reply asAdmin(ApiCalls api, String method, String path) {
        return api.call(method, path, null, "admin", PASSWORD);
    }

    private static String state(ApiCalls api, String connector, String instance) {
        ApiCalls.Reply reply = asAdmin(api, "GET", "/api/v1/connectors/" + connector + "/instances/" + instance);
        return reply.status() == 200 ? reply.json().path("state").asText() : "";
    }

    private static JsonNode boardRow(ApiCalls api, String connector, String instance) {
        for (JsonNode row : asAdmin(api, "GET", "/api/v1/board").json().path("instances")) {
            if (row.path("connector").asText().equals(connector) && row.path("instance").asText().equals(instance)) {
                return row;
            }
        }
        throw new IllegalStateException("no board row for " + connector + "/" + instance);
    }
}
