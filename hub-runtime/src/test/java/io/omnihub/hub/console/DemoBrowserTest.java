package io.omnihub.hub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnihub.crm.MaskedValue;
import io.omnihub.hub.PluginJars;
import io.omnihub.hub.e2e.HubProcess;
import io.omnihub.testsupport.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo as a new user meets it, in real headless Chromium: the hub started with {@code --demo}
 * through its main class, beside the channel simulator it starts (demo/target/omnihub-demo.jar),
 * with the seven bundled plugin JARs and the shipped automation examples, a brand's day compressed
 * into a minute. The board moves on every bundled connector's instance (the SMS instance with the
 * receipts of what the demo's journey sent and a TD reply, the e-mail instance with an unsubscribe
 * link used), the customer seen on most channels holds identities from at least three connectors, a
 * journey enrollment and a task, and the journeys' WeChat messages reach the simulator's request
 * journal, and the gifts' buyers stay apart from their receivers. An
 * operator creates an instance from the schema-generated form, and writes a journey in the YAML
 * editor, whose error is shown at its line, and dry-runs it. Screenshots of each step are kept in {@code target/screenshots/}.
 */
class DemoBrowserTest {

    static final String PASSWORD = "demo-browser-admin";
    /** Wang Fang's phone in the simulated brand's day: she uses every channel. */
    static final String WANG_FANG = "+8613917260418";
    /** Sun Yue's phone, where Zhao Qiang sends a gift. */
    static final String SUN_YUE = "+8613524667781";
    static final String ZHAO_QIANG = "+8615921873306";
    /** Chen Xiuying's phone, where her daughter Chen Jing sends a gift. */
    static final String CHEN_XIUYING = "+8613002187765";
    /** Liu Yang's address in the web shop: he is welcomed by SMS and mail, replies TD and unsubscribes. */
    static final String LIU_YANG_MAIL = "liu.yang@example.com";

    static Path work;
    static HubProcess hub;

    @BeforeAll
    static void startTheDemo() throws IOException {
        Path simulator = Path.of("..", "demo", "target", "omnihub-demo.jar").toAbsolutePath().normalize();
        assertThat(simulator).as("the demo module is built before hub-runtime").isRegularFile();
        work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "demo-hub-");
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("hub.data-dir", work.resolve("data").toString());
        properties.put("hub.plugins.dir", PluginJars.folderWith(PluginJars.BUNDLED).toString());
        properties.put("hub.security.admin-password", PASSWORD);
        properties.put("hub.automation.dir", Path.of("..", "automation").toAbsolutePath().normalize().toString());
        properties.put("hub.demo.simulator-jar", simulator.toString());
        properties.put("hub.demo.day-length", "60s");
        hub = new HubProcess(properties, work.resolve("hub.log"));
        hub.start(Duration.ofMinutes(4), "--demo");
    }

    @AfterAll
    static void stopTheDemo() {
        if (hub != null) {
            hub.stop();
        }
    }

    @Test
    void theDemoMovesTheBoardOnEveryInstanceResolvesACustomerAcrossChannelsRunsHerJourneyAndTaskAndSendsToTheSimulatorAndKeepsGiftsApart() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver browser = chromium.driver();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));
            logIn(browser, wait);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("demo-mark")));
            assertThat(browser.findElement(By.id("demo-mark")).getText()).isEqualTo("DEMO");
            assertThat(browser.findElement(By.id("demo-banner")).getText()).contains("Demo mode", "simulated", "every 60 s");

            // Every bundled connector's instances show events, within three minutes of the start.
            Set<String> demoInstances = Set.of("wechat/brand-oa", "wechat/brand-corp", "douyin/brand-douyin", "douyin/flagship-shop",
                    "tmall/flagship", "pos/stores", "erp/kingdee", "sms/brand-sms", "email/brand-mail");
            Set<String> moved = new TreeSet<>();
                await("every instance shows events on the board").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .ignoreException(StaleElementReferenceException.class)
                    .until(() -> {
                        for (WebElement row : browser.findElements(By.cssSelector("#board tbody tr[data-instance]"))) {
                            String instance = row.getAttribute("data-instance");
                            if (!demoInstances.contains(instance)) {
                                continue; // one an operator added
                            }
                            String events = row.findElement(By.cssSelector("[data-col=events]")).getText().strip();
                            if (!events.isEmpty() && Double.parseDouble(events) > 0) {
                                moved.add(instance);
                            }
                        }
                        return moved.containsAll(demoInstances);
                    });
            assertThat(moved).as("instances with events on the board").isEqualTo(demoInstances);
            // Read in one go: the board replaces its rows every few seconds.
            Object failing = ((JavascriptExecutor) browser).executeScript(
                    "return [...document.querySelectorAll('#board tr.failing')].map(row => row.dataset.instance)");
            assertThat(((List<?>) failing).stream().map(String::valueOf).toList()).as("instances failing on the board")
                    .doesNotContainAnyElementsOf(demoInstances);
            chromium.screenshot("demo-01-board-moves-on-every-instance");

            // The customer who uses every channel: identities from at least three connectors, a journey, a task.
            browser.get(hub.baseUrl() + "/#/customers?q=phone:" + WANG_FANG.replace("+", "%2B"));
            Set<String> connectors = new TreeSet<>();
            await("her profile with identities from three connectors, a journey and a task").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(3))
                    .ignoreException(StaleElementReferenceException.class)
                    .until(() -> {
                        browser.navigate().refresh();
                        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#customer-automation table, #customer .empty")));
                        connectors.clear();
                        for (WebElement source : browser.findElements(By.cssSelector("#identities tbody tr td[data-col=source]"))) {
                            String[] parts = source.getText().split("/");
                            if (parts.length > 2) {
                                connectors.add(parts[2]);
                            }
                        }
                        return connectors.size() >= 3
                                && !browser.findElements(By.cssSelector("#customer-enrollments tr[data-journey]")).isEmpty()
                                && !browser.findElements(By.cssSelector("#customer-tasks tr[data-task]")).isEmpty();
                    });
            assertThat(connectors).as("connectors her identities came from").hasSizeGreaterThanOrEqualTo(3);
            assertThat(browser.findElement(By.id("customer")).getText()).doesNotContain("13917260418");
            List<WebElement> journeys = browser.findElements(By.cssSelector("#customer-enrollments tr[data-journey]"));
            assertThat(journeys).extracting(row -> row.getAttribute("data-journey")).contains("vip-retention");
            chromium.screenshot("demo-02-customer-across-channels");
            ((JavascriptExecutor) browser).executeScript(
                    "document.getElementById('customer-automation').scrollIntoView()");
            chromium.screenshot("demo-03-customer-journey-and-task");

            // What the journeys sent went to the simulated WeChat: sent by the hub, in the simulator's request journal.
            String journal = get("/api/v1/demo").body().replaceAll("(?s).*\"requestsUrl\":\"([^\"]+)\".*", "$1");
            await("a journey's WeChat message in the simulator's request journal").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(journal + "/find"))
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"method\":\"POST\",\"urlPath\":\"/wechat/cgi-bin/message/template/send\"}")).build(),
                            HttpResponse.BodyHandlers.ofString()).body(), body -> body.contains("template_id"));
            assertThat(get("/api/v1/actions?status=sent").body()).contains("\"kind\":\"wechat.template\"", "\"kind\":\"sms.send\"",
                    "\"kind\":\"email.send\"");

            browser.findElement(By.cssSelector("a[data-page='journeys']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-journey='web-lead']")));
            chromium.screenshot("demo-04-journeys");
        }

        // What the SMS and mail brought back: receipts, a TD reply and a one-click unsubscribe, on the customer.
        await("刘洋's SMS receipt, TD reply and mail unsubscribe on his profile").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> get("/api/v1/customers?identity=email:" + LIU_YANG_MAIL).body(),
                        body -> body.contains("\"type\":\"message.delivery\"") && body.contains("\"eventId\":\"sms:aliyun:up:")
                                && body.contains("\"eventId\":\"email:club@lanhu-runners.example.com:unsubscribe:"));

        // The gifts stay apart: a receiver's phone on a parcel joins nobody to the buyer.
        await("赵强's gift to 孙悦's phone, kept as weak evidence held by her").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> get("/api/v1/customers?identity=phone:" + ZHAO_QIANG.replace("+", "%2B")).body(),
                        // masked as the API shows it to every role: her number's first three and last two characters
                        body -> body.contains("\"value\":\"" + MaskedValue.of(SUN_YUE) + "\"") && !body.contains(SUN_YUE));
        assertThat(get("/api/v1/customers?identity=phone:" + SUN_YUE.replace("+", "%2B")).body())
                .contains("wecom_external_userid").doesNotContain("doudian_openid");
        assertThat(get("/api/v1/customers?identity=phone:" + CHEN_XIUYING.replace("+", "%2B")).body())
                .contains("member_card").doesNotContain("tmall_ouid");
    }

    @Test
    void anOperatorCreatesAWeChatInstanceFromItsSchemaFormAndWritesAJourneyWhoseErrorIsShownAtItsLine() throws IOException {
        int unreachable = FreePort.pick();
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver browser = chromium.driver();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));
            logIn(browser, wait);

            // A WeChat instance from the form generated from the connector's configuration schema.
            browser.findElement(By.cssSelector("a[data-page='connectors']")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("section[data-connector='wechat'] a[data-action='new-instance']")))
                    .click();
            WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("instance-form")));
            assertThat(browser.findElements(By.cssSelector("#field-kind option"))).extracting(WebElement::getText)
                    .contains("mp", "wecom");
            assertThat(form.findElement(By.cssSelector("[data-field='token']")).getText()).contains("Token", "signs every push");
            assertThat(form.findElement(By.cssSelector("[data-field='encoding-aes-key']")).getText()).contains("Required when kind is wecom");
            assertThat(browser.findElement(By.id("field-timestamp-tolerance")).getAttribute("placeholder")).isEqualTo("default: 5m");
            assertThat(browser.findElement(By.id("field-app-secret")).getAttribute("type")).isEqualTo("password");
            browser.findElement(By.id("instance-id")).sendKeys("trial-oa");
            new Select(browser.findElement(By.id("field-kind"))).selectByValue("mp");
            browser.findElement(By.id("field-app-id")).sendKeys("wx5e1ec7ed0c0ffee1");
            browser.findElement(By.id("field-app-secret")).sendKeys("trial-app-secret");
            browser.findElement(By.id("field-token")).sendKeys("trialToken");
            browser.findElement(By.id("field-api-base-url")).sendKeys("http://127.0.0.1:" + unreachable);
            chromium.screenshot("form-01-new-wechat-instance");
            browser.findElement(By.cssSelector("#instance-form [data-action='save']")).click();

            WebElement url = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("webhook-url")));
            assertThat(url.getText()).isEqualTo(hub.baseUrl() + "/hooks/wechat/trial-oa");
            WebElement check = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#instance-check [data-check='failed']")));
            assertThat(check.getText()).contains("WeChat API unreachable");
            assertThat(browser.findElement(By.id("field-app-secret")).getAttribute("value")).as("secrets are write-only").isEmpty();
            assertThat(browser.findElement(By.id("field-app-secret")).getAttribute("placeholder")).contains("stored, not shown");
            chromium.screenshot("form-02-webhook-url-and-failed-check");

            // A journey written in the console: a misspelt key is refused with its line marked.
            browser.get(hub.baseUrl() + "/#/automation");
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("a[data-action='new-journey']"))).click();
            WebElement yaml = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("definition-yaml")));
            browser.findElement(By.id("definition-id")).sendKeys("thank-buyers");
            String template = yaml.getAttribute("value");
            int line = template.substring(0, template.indexOf("wait: 3d")).split("\n", -1).length;
            setText(browser, yaml, template.replace("wait: 3d", "wiat: 3d"));
            browser.findElement(By.cssSelector("[data-action='save']")).click();
            WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("definition-error")));
            assertThat(error.getAttribute("data-line")).isEqualTo(Integer.toString(line));
            assertThat(error.getText()).startsWith("Line " + line + ":").contains("wiat");
            assertThat(browser.findElement(By.cssSelector(".gutter .line.marked")).getAttribute("data-line")).isEqualTo(Integer.toString(line));
            chromium.screenshot("editor-01-journey-error-at-its-line");

            setText(browser, yaml, template);
            browser.findElement(By.cssSelector("[data-action='save']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Saved journey thank-buyers"));

            // A dry run against the customer seen on every channel: what it would do, nothing sent.
            browser.findElement(By.id("dry-run-customer")).sendKeys("phone:" + WANG_FANG);
            browser.findElement(By.cssSelector("[data-action='dry-run']")).click();
            WebElement verdict = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dry-run-verdict")));
            assertThat(verdict.getText()).isIn("matches", "does not match");
            assertThat(browser.findElement(By.id("dry-run-result")).getText()).contains("Nothing was sent or kept");
            ((JavascriptExecutor) browser).executeScript("document.getElementById('dry-run').scrollIntoView()");
            chromium.screenshot("editor-02-dry-run");
        }
    }

    private static void logIn(WebDriver browser, WebDriverWait wait) {
        ConsoleBrowser.logIn(browser, wait, hub.baseUrl(), "admin", PASSWORD);
    }

    /** Replaces a text area's text as typing would, so its input listeners run. */
    private static void setText(WebDriver browser, WebElement area, String text) {
        ((JavascriptExecutor) browser).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", area, text);
    }

    @Test
    void aDemoHubRefusesAnInstanceThatWouldReachARealChannelAndKeepsItsOwnInstancesToTheSimulator() throws Exception {
        HttpResponse<String> real = put("/api/v1/connectors/wechat/instances/my-real-oa",
                "{\"kind\":\"mp\",\"app-id\":\"wx1234567890abcdef\",\"token\":\"my-token\"}");
        assertThat(real.statusCode()).isEqualTo(400);
        assertThat(real.body()).contains("refused in demo mode", "the channel's real one");

        HttpResponse<String> own = put("/api/v1/connectors/wechat/instances/brand-oa",
                "{\"kind\":\"mp\",\"app-id\":\"wx1234567890abcdef\",\"token\":\"my-token\",\"api-base-url\":\"http://127.0.0.1:9\"}");
        assertThat(own.statusCode()).isEqualTo(400);
        assertThat(own.body()).contains("one of the demo's own instances");

        HttpResponse<String> local = put("/api/v1/connectors/wechat/instances/my-local-oa",
                "{\"kind\":\"mp\",\"app-id\":\"wx1234567890abcdef\",\"token\":\"my-token\",\"api-base-url\":\"http://127.0.0.1:9\"}");
        assertThat(local.statusCode()).as(local.body()).isEqualTo(201);
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.baseUrl()
                        + "/api/v1/connectors/wechat/instances/my-local-oa")).header("Authorization", basic()).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .header("Authorization", basic()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", basic())
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
