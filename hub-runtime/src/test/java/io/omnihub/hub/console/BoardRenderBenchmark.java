package io.omnihub.hub.console;

import io.omnihub.hub.HubApplication;
import io.omnihub.hub.WeChatPluginJar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import me.chanjar.weixin.common.util.crypto.SHA1;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How fast the route health board renders with many connector instances (the acceptance figure in
 * docs/console.md).
 *
 * <p>Starts a hub in this JVM with {@code instances} configured WeChat instances (default 50), sends
 * each a few webhooks and parks a few dead letters so every column has data, then opens the console
 * in headless Chromium {@code runs} times (default 20) and reads, from the browser's Performance API,
 * the time from navigation start to the {@code board-rendered} mark the console sets once the full
 * board is in the page. It also times {@code GET /api/v1/board} on its own.
 *
 * <p>Run: {@code hub-runtime/bench/board.sh [instances] [runs]}.
 */
public final class BoardRenderBenchmark {

    private static final String PASSWORD = "board-bench";

    private BoardRenderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path work = Files.createTempDirectory("omnihub-board-bench");
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        String plugin = System.getProperty("omnihub.bench.plugin");
        Files.copy(plugin == null ? WeChatPluginJar.path() : Path.of(plugin), plugins.resolve("wechat-plugin.jar"));
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--hub.data-dir=" + work.resolve("data"),
                "--hub.plugins.dir=" + plugins, "--hub.security.admin-password=" + PASSWORD, "--logging.level.root=WARN"));
        for (int i = 0; i < instances; i++) {
            String prefix = "--hub.connectors.wechat." + instanceId(i) + ".";
            arguments.add(prefix + "kind=mp");
            arguments.add(prefix + "app-id=" + String.format("wxb0a2d%011d", i));
            arguments.add(prefix + "token=token" + i);
        }
        ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class).run(arguments.toArray(String[]::new));
        try {
            int port = Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
            String base = "http://localhost:" + port;
            traffic(base, instances);
            Thread.sleep(3000); // let the pipeline apply the traffic, so the board has rates and latencies to show

            List<Double> api = new ArrayList<>();
            HttpClient http = HttpClient.newHttpClient();
            String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 100; i++) {
                long started = System.nanoTime();
                HttpResponse<String> board = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/board"))
                        .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
                if (board.statusCode() != 200) {
                    throw new IllegalStateException("board answered " + board.statusCode());
                }
                api.add((System.nanoTime() - started) / 1e6);
            }

            RouteHealthBoard boardBuilder = hub.getBean(RouteHealthBoard.class);
            List<Double> built = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                long started = System.nanoTime();
                boardBuilder.board();
                built.add((System.nanoTime() - started) / 1e6);
            }

            List<Double> rendered = new ArrayList<>();
            try (HeadlessChromium chromium = HeadlessChromium.start()) {
                WebDriver browser = chromium.driver();
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(20));
                browser.get(base + "/");
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("admin");
                browser.findElement(By.id("password")).sendKeys(PASSWORD);
                browser.findElement(By.cssSelector("button[type=submit]")).click();
                String ready = "body[data-board-rows='" + instances + "']";
                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(ready)));
                for (int run = 0; run < runs; run++) {
                    browser.get(base + "/?run=" + run + "#/board");
                    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(ready)));
                    Object mark = ((JavascriptExecutor) browser).executeScript(
                            "return performance.getEntriesByName('board-rendered')[0].startTime;");
                    rendered.add(((Number) mark).doubleValue());
                }
                chromium.screenshot("board-" + instances + "-instances");
            }
            System.out.println();
            System.out.printf("Board with %d instances, %d page loads in headless Chromium (ms from navigation start to the full board):%n",
                    instances, runs);
            System.out.printf("  median %.0f, p95 %.0f, max %.0f%n", percentile(rendered, 50), percentile(rendered, 95), Collections.max(rendered));
            System.out.printf("Building the board in the hub, 100 times (ms): median %.1f, p95 %.1f, max %.1f%n",
                    percentile(built, 50), percentile(built, 95), Collections.max(built));
            System.out.printf("GET /api/v1/board with HTTP Basic, 100 calls (ms; includes the bcrypt password check): median %.1f, p95 %.1f, max %.1f%n",
                    percentile(api, 50), percentile(api, 95), Collections.max(api));
        } finally {
            hub.close();
        }
    }

    private static String instanceId(int i) {
        return String.format("shop-%02d", i);
    }

    /** Three text messages per instance, and for every fifth instance one body it cannot read (a dead letter). */
    private static void traffic(String base, int instances) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < instances; i++) {
            for (int m = 0; m < 3; m++) {
                String openid = String.format("oBoardBench%02d_%d_0123456789ab", i, m);
                String xml = "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[" + openid + "]]></FromUserName>"
                        + "<CreateTime>" + System.currentTimeMillis() / 1000 + "</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                        + "<Content><![CDATA[hello]]></Content><MsgId>" + (7_000_000_000_000L + i * 10L + m) + "</MsgId></xml>";
                post(http, base, i, openid, xml);
            }
            if (i % 5 == 0) {
                post(http, base, i, "oBroken", "<xml><ToUserName>half a message");
            }
        }
    }

    private static void post(HttpClient http, String base, int i, String openid, String body) throws Exception {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = Long.toString(System.nanoTime());
        URI uri = URI.create(base + "/hooks/wechat/" + instanceId(i) + "?signature=" + SHA1.gen("token" + i, timestamp, nonce)
                + "&timestamp=" + timestamp + "&nonce=" + nonce + "&openid=" + openid);
        http.send(HttpRequest.newBuilder(uri).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
