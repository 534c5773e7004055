package io.omnihub.hub.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.omnihub.hub.HubApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The hub as the benchmarks run it: in this JVM with embedded Artemis and PostgreSQL, the real
 * WeChat plugin JAR (system property {@code omnihub.bench.plugin}) serving one official account,
 * and WireMock as the WeChat API.
 */
final class BenchHub implements AutoCloseable {

    static final String TOKEN = "bench-token";
    static final String APP_ID = "wxbench000000000001";

    private final WireMockServer wechatApi;
    private final ConfigurableApplicationContext context;
    private final String base;

    private BenchHub(WireMockServer wechatApi, ConfigurableApplicationContext context) {
        this.wechatApi = wechatApi;
        this.context = context;
        this.base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    /**
     * Starts the hub with {@code sources} beside its own configuration and {@code arguments} after
     * the benchmark's own; returns once the WeChat instance answers.
     */
    static BenchHub start(List<Class<?>> sources, String... arguments) throws Exception {
        WireMockServer wechatApi = wechatApi();

        Path work = ScratchFolder.create("omnihub-bench");
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(Path.of(System.getProperty("omnihub.bench.plugin", "../plugins/wechat-plugin.jar")),
                plugins.resolve("wechat-plugin.jar"));
        List<Class<?>> all = new ArrayList<>(List.of(HubApplication.class));
        all.addAll(sources);
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--hub.data-dir=" + work.resolve("data"),
                "--hub.plugins.dir=" + plugins,
                "--hub.security.admin-password=bench",
                "--hub.connectors.wechat.bench.kind=mp",
                "--hub.connectors.wechat.bench.app-id=" + APP_ID,
                "--hub.connectors.wechat.bench.app-secret=bench-secret",
                "--hub.connectors.wechat.bench.token=" + TOKEN,
                "--hub.connectors.wechat.bench.timestamp-tolerance=0",
                "--hub.connectors.wechat.bench.api-base-url=" + wechatApi.baseUrl(),
                "--logging.level.root=WARN"));
        args.addAll(List.of(arguments));
        // Command-line arguments: they outrank application.yml, unlike builder default properties.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(all.toArray(Class<?>[]::new))
                .run(args.toArray(String[]::new));
        BenchHub hub = new BenchHub(wechatApi, context);
        WebhookLoadBenchmark.waitForInstance(hub.base());
        return hub;
    }

    /** WireMock as the WeChat API, started: an access token and a subscribed follower's info for every request. */
    static WireMockServer wechatApi() {
        WireMockServer wechatApi = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .containerThreads(8).disableRequestJournal());
        wechatApi.start();
        wechatApi.stubFor(get(urlPathEqualTo("/cgi-bin/token")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"access_token\":\"BENCH\",\"expires_in\":7200}")));
        wechatApi.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"subscribe\":1,\"openid\":\"x\"}")));
        return wechatApi;
    }

    /** {@code http://localhost:<port>}. */
    String base() {
        return base;
    }

    int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** The signed path of the WeChat push URL (plaintext mode: the signature covers token, timestamp and nonce). */
    String hookPath() throws Exception {
        String timestamp = "1700000000";
        String nonce = "bench";
        return "/hooks/wechat/bench?signature=" + WebhookLoadBenchmark.sha1Sorted(TOKEN, timestamp, nonce)
                + "&timestamp=" + timestamp + "&nonce=" + nonce;
    }

    DataSource dataSource() {
        return context.getBean(DataSource.class);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
        wechatApi.stop();
    }
}
