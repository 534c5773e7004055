package io.omnihub.hub.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.omnihub.hub.HubApplication;
import io.omnihub.hub.WeChatPluginJar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import me.chanjar.weixin.common.util.crypto.SHA1;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console in a real headless Chromium against a real hub (embedded Artemis and PostgreSQL, the
 * WeChat plugin JAR, WireMock as WeChat's API): an operator logs in, watches the board show the
 * instance whose channel answers 500 failing with its circuit open, replays the parked enrichments
 * once the channel is back and sees them applied on the customer; reads why two profiles merged and
 * undoes the merge; confirms a store phone found shared. Screenshots of each step are kept in
 * {@code target/screenshots/}.
 */
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleBrowserTest {

    static final String PASSWORD = "console-admin-password";
    static final String DESK_PASSWORD = "console-desk-password";
    static final String APP_ID = "wx7e57c0a5e0c0ffee";
    static final String TOKEN = "consoleToken";
    static final String OPENID_A = "oConsoleFirst_0123456789abcd";
    static final String OPENID_B = "oConsoleSecond_0123456789abc";
    static final String UNIONID_A = "uConsoleUnion_0123456789abcd";
    static final WireMockServer WECHAT = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final Path WORK;

    static {
        WECHAT.start();
        WECHAT.stubFor(get(urlPathEqualTo("/cgi-bin/token")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"CONSOLE_TOKEN\",\"expires_in\":7200}")));
        for (String[] person : List.of(new String[] {OPENID_A, UNIONID_A}, new String[] {OPENID_B, "uConsoleUnion_second_0123456"})) {
            WECHAT.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).withQueryParam("openid", equalTo(person[0]))
                    .inScenario("wechat").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(500).withBody("{\"errcode\":-1,\"errmsg\":\"system error\"}")));
            WECHAT.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).withQueryParam("openid", equalTo(person[0]))
                    .inScenario("wechat").whenScenarioStateIs("back")
                    .willReturn(aResponse().withHeader("Content-Type", "application/json")
                            .withBody("{\"subscribe\":1,\"openid\":\"" + person[0] + "\",\"unionid\":\"" + person[1] + "\"}")));
        }
        try {
            WORK = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-hub-");
            Files.createDirectories(WORK.resolve("plugins"));
            Files.copy(WeChatPluginJar.path(), WORK.resolve("plugins").resolve("wechat-plugin.jar"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", () -> WORK.resolve("data").toString());
        registry.add("hub.plugins.dir", () -> WORK.resolve("plugins").toString());
        registry.add("hub.security.admin-password", () -> PASSWORD);
        // An operator who was not granted the reveal permission.
        registry.add("hub.security.users.desk.password", () -> DESK_PASSWORD);
        registry.add("hub.security.users.desk.role", () -> "operator");
        // The repository's shipped automation examples, as the README's run command loads them.
        registry.add("hub.automation.dir", () -> Path.of("..", "automation").toAbsolutePath().normalize().toString());
        // A small window so a handful of failures opens the circuit; it stays open until the replay.
        registry.add("hub.resilience.circuit-breaker.sliding-window-size", () -> "4");
        registry.add("hub.resilience.circuit-breaker.minimum-number-of-calls", () -> "4");
        registry.add("hub.resilience.circuit-breaker.wait-in-open-state", () -> "2s");
        registry.add("hub.resilience.retry.max-attempts", () -> "1");
        // Enrichment gives up after three quick attempts, so the parked messages appear within seconds.
        registry.add("hub.pipeline.retry-initial-delay", () -> "200ms");
        registry.add("hub.pipeline.retry-max-attempts", () -> "2");
        registry.add("hub.console.sample-interval", () -> "500ms");
        registry.add("hub.console.dead-letter-count-ttl", () -> "200ms");
        String oa = "hub.connectors.wechat.brand-oa.";
        registry.add(oa + "kind", () -> "mp");
        registry.add(oa + "app-id", () -> APP_ID);
        registry.add(oa + "app-secret", () -> "console-app-secret");
        registry.add(oa + "token", () -> TOKEN);
        registry.add(oa + "api-base-url", WECHAT::baseUrl);
        registry.add("hub.connectors.wechat.broken-oa.kind", () -> "mp");
        registry.add("hub.connectors.wechat.broken-oa.app-id", () -> "not-an-app-id");
    }

    @LocalServerPort
    int port;

    @RegisterExtension
    final ConsoleBrowser console = new ConsoleBrowser(Duration.ofSeconds(45), Duration.ofMillis(100));

    @AfterAll
    static void stopWeChat() {
        WECHAT.stop();
    }

    @Test
    void anOperatorWatchesAnInstanceFailAndItsCircuitOpenThenReplaysItsDeadLettersAndSeesThemApplied() {
        logIn();
        WebElement board = console.await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-instance='wechat/brand-oa']")));
        assertThat(board.findElement(By.cssSelector("[data-col=state]")).getText()).contains("RUNNING");
        assertThat(console.text("tr[data-instance='wechat/broken-oa'] [data-col=state]")).contains("FAILED");
        assertThat(console.text("tr[data-instance='wechat/broken-oa'] [data-col=last-error]")).contains("invalid configuration", "token");
        console.screenshot("01-board");

        // WeChat answers 500: each subscriber is applied, but their enrichment fails and is parked.
        assertThat(subscribe(OPENID_A)).isEqualTo(200);
        assertThat(subscribe(OPENID_B)).isEqualTo(200);

        String row = "tr[data-instance='wechat/brand-oa'] ";
        console.await().until(ExpectedConditions.textToBe(By.cssSelector(row + "[data-col=circuit]"), "OPEN"));
        console.await().until(ExpectedConditions.textToBe(By.cssSelector(row + "[data-col=dlq]"), "2"));
        assertThat(console.text(row + "[data-col=error-rate]")).isNotEqualTo("0.0 %");
        assertThat(console.text(row + "[data-col=last-error]")).containsAnyOf("enrich", "dead letter");
        assertThat(console.driver().findElement(By.cssSelector("tr[data-instance='wechat/brand-oa']")).getAttribute("class")).contains("failing");
        assertThat(console.text("#failing-count")).startsWith("2");
        console.screenshot("02-board-instance-failing-circuit-open");

        // WeChat is back: replay what was parked, from the dead-letter page.
        WECHAT.setScenarioState("wechat", "back");
        console.driver().findElement(By.cssSelector("a[data-page='dead-letters']")).click();
        console.await().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-stage='enrich']"), 2));
        console.driver().findElement(By.cssSelector("tr[data-stage='enrich'] [data-action=show]")).click();
        WebElement payload = console.await().until(ExpectedConditions.visibilityOfElementLocated(By.id("dead-letter-payload")));
        assertThat(payload.getText()).contains("customer.followed").doesNotContain(OPENID_A).doesNotContain(OPENID_B);
        console.screenshot("03-dead-letters");
        for (WebElement box : console.driver().findElements(By.cssSelector("tr[data-stage='enrich'] input[type=checkbox]"))) {
            box.click();
        }
        console.driver().findElement(By.cssSelector("[data-action=replay-selected]")).click();
        console.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "2 replayed"));
        console.await().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-stage='enrich']"), 0));
        console.screenshot("04-replayed");

        // Applied: the customer now has the unionid WeChat reported, shown masked until asked for.
        console.driver().get(base() + "/#/customers?q=wechat_openid:" + OPENID_A + "&namespace=" + APP_ID);
        console.await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#identities tr[data-type='wechat_openid']")));
        for (int i = 0; i < 100 && console.driver().findElements(By.cssSelector("#identities tr[data-type='wechat_unionid']")).isEmpty(); i++) {
            console.driver().navigate().refresh();
            console.await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#identities tr[data-type='wechat_openid']")));
        }
        assertThat(console.driver().findElements(By.cssSelector("#identities tr[data-type='wechat_unionid']"))).hasSize(1);
        assertThat(console.text("#timeline")).contains("customer.followed");
        assertThat(console.driver().findElements(By.cssSelector("#identity-graph g.identity"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(console.text("#customer")).doesNotContain(UNIONID_A).doesNotContain(OPENID_A);
        console.driver().findElement(By.id("reveal")).click();
        WebElement reason = console.await().until(ExpectedConditions.visibilityOfElementLocated(By.id("reveal-reason")));
        reason.sendKeys("checking the replayed enrichment");
        console.driver().findElement(By.id("reveal-confirm")).click();
        console.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("identities"), UNIONID_A));
        assertThat(console.text("#notice")).contains("privacy audit");
        assertThat(api("/api/v1/privacy/audit?actor=admin&action=reveal").body()).contains("checking the replayed enrichment");
        console.screenshot("05-customer-360");

        console.driver().get(base() + "/#/board");
        console.await().until(ExpectedConditions.textToBe(By.cssSelector(row + "[data-col=dlq]"), "0"));
    }

    @Test
    void thePluginsPageListsThePluginAndRefusesAnUploadNeedingANewerSdkWithTheReason() throws IOException {
        Path future = Files.createTempDirectory("console-upload").resolve("future-plugin.jar");
        WeChatPluginJar.copyWithManifest(future, "wechat-future", ">=9.0.0");
        logIn();

        console.driver().findElement(By.cssSelector("a[data-page='plugins']")).click();
        WebElement wechat = console.await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-plugin='wechat']")));
        assertThat(wechat.getText()).contains("STARTED", "wechat");
        console.driver().findElement(By.id("plugin-file")).sendKeys(future.toString());
        console.driver().findElement(By.cssSelector("#plugin-upload button[type=submit]")).click();

        console.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "requires SDK >=9.0.0"));
        assertThat(console.driver().findElements(By.cssSelector("tr[data-plugin='wechat-future']"))).isEmpty();
        console.screenshot("06-plugins-upload-refused");
    }

    @Test
    void journeysListTheShippedExamplesTasksShowALeadAssignedByRegionAndLoggingOutEndsTheSession() {
        String lead = """
                {"specversion":"1.0","id":"webform:console-1","source":"/connectors/webform/site","type":"lead.created",
                 "time":"%1$s","datacontenttype":"application/json",
                 "data":{"receivedAt":"%1$s","identities":[{"type":"wechat_openid","value":"%2$s","namespace":"%3$s"}],
                         "attributes":{"name":"王女士","region":"south"},"extra":{"form":"console-test"}}}
                """.formatted(Instant.now(), "oConsoleLead_0123456789abcdef", APP_ID);
        postEvent(lead);
        logIn();

        console.driver().findElement(By.cssSelector("a[data-page='journeys']")).click();
        WebElement cart = console.await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-journey='cart-abandonment']")));
        assertThat(cart.getText()).contains("cart.updated", "examples/cart-abandonment.yaml");
        assertThat(console.driver().findElements(By.cssSelector("tr[data-journey='web-lead']"))).hasSize(1);
        console.screenshot("07-journeys");

        // The web-lead journey assigns the lead to the south region's salesperson, chen.jing.
        WebElement task = null;
        for (int attempt = 0; attempt < 60 && task == null; attempt++) {
            console.driver().findElement(By.cssSelector("a[data-page='tasks']")).click();
            console.await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#automation table")));
            List<WebElement> rows = console.driver().findElements(By.cssSelector("tr[data-task]"));
            task = rows.isEmpty() ? null : rows.get(0);
            if (task == null) {
                console.driver().findElement(By.cssSelector("a[data-page='journeys']")).click();
                console.await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-journey]")));
            }
        }
        assertThat(task).as("a task for the lead on the tasks page").isNotNull();
        assertThat(task.getText()).contains("新线索", "chen.jing", "liu.yang", "south", "open");
        console.screenshot("08-tasks");

        console.driver().findElement(By.cssSelector("#logout button")).click();
        console.await().until(ExpectedConditions.urlContains("/login?logout"));
        console.driver().get(base() + "/");
        console.await().until(ExpectedConditions.urlContains("/login"));
    }

    @Test
    void anAccountWithoutSafeModeIsFlaggedOnTheBoard() {
        logIn();

        WebElement warning = console.await().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-instance='wechat/brand-oa'] [data-col=warnings]")));

        assertThat(warning.getText()).contains("plaintext mode", "safe mode");
        console.screenshot("09-board-plaintext-warning");
    }

    @Test
    void anAdminCreatesAnApiTokenSeesItOnceAndRevokesIt() throws Exception {
        logIn();
        console.driver().findElement(By.cssSelector("a[data-page='tokens']")).click();
        console.await().until(ExpectedConditions.visibilityOfElementLocated(By.id("token-create")));
        console.driver().findElement(By.cssSelector("#token-create input[name=name]")).sendKeys("erp-sync");
        new org.openqa.selenium.support.ui.Select(console.driver().findElement(By.cssSelector("#token-create select[name=role]"))).selectByValue("viewer");
        console.driver().findElement(By.cssSelector("#token-create button[type=submit]")).click();

        String token = console.await().until(ExpectedConditions.visibilityOfElementLocated(By.id("token-secret"))).getText().strip();
        assertThat(token).startsWith("ohk_");
        assertThat(console.text("#tokens")).contains("erp-sync", "viewer", "ACTIVE").doesNotContain(token);
        console.screenshot("10-api-token-created");
        assertThat(bearer(token)).isEqualTo(200);

        // Shown once: back on the page, only its first characters remain.
        console.driver().findElement(By.cssSelector("a[data-page='board']")).click();
        console.await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#board tbody tr")));
        console.driver().findElement(By.cssSelector("a[data-page='tokens']")).click();
        WebElement row = console.await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#tokens tr[data-token]")));
        assertThat(console.driver().findElements(By.id("token-secret"))).isEmpty();
        assertThat(row.getText()).contains(token.substring(0, 8)).doesNotContain(token);

        row.findElement(By.cssSelector("[data-action=revoke]")).click();
        console.await().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#tokens tr[data-token]"), "REVOKED"));
        console.screenshot("11-api-token-revoked");
        assertThat(bearer(token)).isEqualTo(401);
    }

    @Test
    void withoutLoggingInTheConsoleShowsTheLoginPageAndAWrongPasswordIsRefused() {
        console.driver().get(base() + "/");
        console.await().until(ExpectedConditions.urlContains("/login"));

        console.driver().findElement(By.id("username")).sendKeys("admin");
        console.driver().findElement(By.id("password")).sendKeys("wrong-password");
        console.driver().findElement(By.cssSelector("button[type=submit]")).click();

        console.await().until(ExpectedConditions.urlContains("/login?error"));
        assertThat(console.driver().findElements(By.id("board"))).isEmpty();
    }

    @Test
    void anOperatorReadsWhyTwoProfilesWereMergedAndUndoesTheMergeFromTheCustomerPage() {
        String follower = "/api/v1/customers?identity=wechat_openid:oConsoleMini_0123456789abcdef&namespace=wxmini0000000001";
        String member = "/api/v1/customers?identity=member_card:VIP-CONSOLE-1&namespace=acme";
        // a follower and a member, two profiles; then the mini program verifies the follower's phone,
        // which is the member's: the two merge
        postEvent(event("console-merge-follow", "/connectors/wechat/mini", "customer.followed", "",
                "{\"type\":\"wechat_openid\",\"value\":\"oConsoleMini_0123456789abcdef\",\"namespace\":\"wxmini0000000001\",\"evidence\":\"verified\"}"));
        String followerId = awaitCustomerId(follower);
        postEvent(event("console-merge-member", "/connectors/pos/store", "profile.updated", "",
                "{\"type\":\"member_card\",\"value\":\"VIP-CONSOLE-1\",\"namespace\":\"acme\",\"evidence\":\"verified\"}",
                "{\"type\":\"phone\",\"value\":\"+8613911112222\",\"evidence\":\"stated\"}"));
        assertThat(awaitCustomerId(member)).isNotEqualTo(followerId);
        postEvent(event("console-merge-mini", "/connectors/wechat/mini", "profile.updated", "",
                "{\"type\":\"wechat_openid\",\"value\":\"oConsoleMini_0123456789abcdef\",\"namespace\":\"wxmini0000000001\",\"evidence\":\"verified\"}",
                "{\"type\":\"phone\",\"value\":\"+8613911112222\",\"evidence\":\"verified\"}"));
        await().atMost(Duration.ofSeconds(60)).until(() -> awaitCustomerId(member).equals(followerId));
        logIn();

        console.driver().get(base() + "/#/customers?q=member_card:VIP-CONSOLE-1&namespace=acme");
        WebElement merge = console.await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#merge-history tr[data-merge]")));
        assertThat(merge.getText()).contains("linked by event console-merge-mini", "phone", "verified", "survivor", "wechat_openid", "merged",
                "in force");
        assertThat(merge.getText()).doesNotContain("+8613911112222");
        console.screenshot("09-merge-history");

        merge.findElement(By.cssSelector("button.undo")).click();
        console.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Merge undone"));
        console.await().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#merge-history tr[data-merge]"), "undone"));
        assertThat(console.driver().findElements(By.cssSelector("#merge-history button.undo"))).isEmpty();
        assertThat(console.driver().findElements(By.cssSelector("#identities tr[data-type='wechat_openid']"))).isEmpty();
        assertThat(awaitCustomerId(member)).isNotEqualTo(followerId);
        console.screenshot("10-merge-undone");
    }

    @Test
    void theCustomerPageShowsConsentPerPurposeAndChannelWithItsHistory() {
        String openid = "{\"type\":\"wechat_openid\",\"value\":\"oConsoleConsent_0123456789abcd\",\"namespace\":\"wxconsent000001\"}";
        postEvent(event("console-consent-1", "/connectors/wechat/brand-oa", "consent.changed",
                ",\"consent\":{\"marketing\":true,\"analytics\":false}", openid));
        await().atMost(Duration.ofSeconds(60)).until(() -> api("/api/v1/customers?identity=wechat_openid:oConsoleConsent_0123456789abcd"
                + "&namespace=wxconsent000001").body().contains("console-consent-1"));
        postEvent(event("console-consent-2", "/connectors/sms/aliyun", "consent.changed",
                ",\"consent\":{\"marketingChannels\":{\"sms\":false}}", openid));
        await().atMost(Duration.ofSeconds(60)).until(() -> api("/api/v1/customers?identity=wechat_openid:oConsoleConsent_0123456789abcd"
                + "&namespace=wxconsent000001").body().contains("console-consent-2"));
        logIn();

        console.driver().get(base() + "/#/customers?q=wechat_openid:oConsoleConsent_0123456789abcd&namespace=wxconsent000001");
        WebElement sms = console.await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#consent-current tr[data-key='marketing.sms']")));
        assertThat(sms.getText()).contains("Marketing · sms", "declined", "/connectors/sms/aliyun", "console-consent-2");
        assertThat(console.text("#consent-current tr[data-key='marketing']")).contains("Marketing · all channels", "given", "console-consent-1");
        assertThat(console.text("#consent-current tr[data-key='analytics']")).contains("Analytics", "declined");
        console.await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#consent-statements tr[data-event]")));
        assertThat(console.driver().findElements(By.cssSelector("#consent-statements tbody tr"))).hasSize(3);
        assertThat(console.text("#consent-statements tbody tr:first-child")).contains("sms", "console-consent-2");
        assertThat(console.text("#consent-history")).doesNotContain("null");
        assertThat(console.driver().findElements(By.id("consent-older"))).isEmpty();
        ((JavascriptExecutor) console.driver()).executeScript("document.getElementById('customer-consent').scrollIntoView()");
        console.screenshot("12-customer-consent");
    }

    @Test
    void aStorePhoneTypedForWalkInsIsListedAsSharedWithItsEvidenceAndAnOperatorConfirmsIt() {
        String sharedMasked = "+86*********66";
        // the clerk types the store manager's mobile for four walk-in purchases at one store: the
        // fourth shows it is shared, and the purchases it had joined get profiles of their own
        for (int i = 0; i < 4; i++) {
            postEvent(event("console-walk-in-" + i, "/connectors/pos/store", "store.purchased",
                    ",\"extra\":{\"storeId\":\"S-CONSOLE\"},\"order\":{\"id\":\"W-CONSOLE-" + i + "\",\"currency\":\"CNY\",\"totalMinor\":1000}",
                    "{\"type\":\"phone\",\"value\":\"+8613755556666\",\"evidence\":\"noted\"}"));
        }
        // listed masked, as every role sees it
        await().atMost(Duration.ofSeconds(60)).until(() -> api("/api/v1/identifiers/shared?status=detected").body().contains(sharedMasked));
        logIn();

        console.driver().get(base() + "/#/shared-identifiers");
        WebElement row = console.await().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#shared-identifiers tr[data-identifier='phone:+86*********66']")));
        assertThat(row.getText()).contains("walk-in orders", "S-CONSOLE", "separatedEvents", "detected");
        assertThat(row.getText()).doesNotContain("+8613755556666");
        console.screenshot("11-shared-identifiers");

        row.findElement(By.cssSelector("button.confirm")).click();
        console.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Confirmed"));
        console.await().until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#shared-identifiers tr[data-identifier='phone:+86*********66']"), "confirmed by admin"));
        assertThat(console.driver().findElements(By.cssSelector("#shared-identifiers tr[data-identifier='phone:+86*********66'] button"))).isEmpty();
        assertThat(api("/api/v1/identifiers/shared?status=confirmed").body()).contains(sharedMasked, "from the console")
                .doesNotContain("+8613755556666");
    }

    @Test
    void anOperatorWithoutTheRevealPermissionIsToldSoAndKeepsSeeingPersonalDataMasked() {
        postEvent(event("console-reveal-refused", "/connectors/pos/store", "profile.updated", ",\"attributes\":{\"name\":\"Zhou Xun\"}",
                "{\"type\":\"member_card\",\"value\":\"VIP-CONSOLE-REVEAL\",\"namespace\":\"acme\",\"evidence\":\"verified\"}",
                "{\"type\":\"phone\",\"value\":\"+8613944448888\",\"evidence\":\"verified\"}"));
        awaitCustomerId("/api/v1/customers?identity=member_card:VIP-CONSOLE-REVEAL&namespace=acme");
        logIn("desk", DESK_PASSWORD);

        console.driver().get(base() + "/#/customers?q=member_card:VIP-CONSOLE-REVEAL&namespace=acme");
        console.await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#identities tr[data-type='phone']")));
        assertThat(console.text("#customer")).doesNotContain("+8613944448888", "Zhou Xun").contains("+86*********88");
        console.driver().findElement(By.id("reveal")).click();
        console.await().until(ExpectedConditions.visibilityOfElementLocated(By.id("reveal-reason"))).sendKeys("curious");
        console.driver().findElement(By.id("reveal-confirm")).click();

        console.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "You may not reveal personal data"));
        assertThat(console.driver().findElement(By.id("reveal")).isSelected()).isFalse();
        assertThat(console.text("#customer")).doesNotContain("+8613944448888", "Zhou Xun");
        console.screenshot("12-reveal-refused");
    }

    /** A canonical event for {@code POST /api/v1/events}; {@code more} adds fields to its data. */
    private static String event(String id, String source, String type, String more, String... identities) {
        String now = Instant.now().toString();
        return """
                {"specversion":"1.0","id":"%s","source":"%s","type":"%s","time":"%s","datacontenttype":"application/json",
                 "data":{"receivedAt":"%s","identities":[%s]%s}}
                """.formatted(id, source, type, now, now, String.join(",", identities), more);
    }

    /** The id of the customer a lookup finds, once the pipeline has applied the event that makes it. */
    private String awaitCustomerId(String lookup) {
        HttpResponse<String>[] found = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            found[0] = api(lookup);
            return found[0].statusCode() == 200;
        });
        try {
            return new ObjectMapper().readTree(found[0].body()).path("id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> api(String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", basicAuth()).build());
    }

    private void postEvent(String json) {
        HttpResponse<String> posted = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/events"))
                .header("Content-Type", "application/cloudevents+json").header("Authorization", basicAuth())
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    }

    private static String basicAuth() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void logIn() {
        logIn("admin", PASSWORD);
    }

    private void logIn(String user, String password) {
        console.logIn(base(), user, password);
        assertThat(console.text("#user")).startsWith(user);
    }

    private int bearer(String token) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/board"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String base() {
        return "http://localhost:" + port;
    }

    /** A subscribe push in plaintext mode, signed as WeChat signs it. */
    private int subscribe(String openid) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = Long.toString(System.nanoTime());
        String xml = "<xml><ToUserName><![CDATA[gh_console]]></ToUserName><FromUserName><![CDATA[" + openid + "]]></FromUserName>"
                + "<CreateTime>" + timestamp + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[subscribe]]></Event></xml>";
        URI uri = URI.create(base() + "/hooks/wechat/brand-oa?signature=" + SHA1.gen(TOKEN, timestamp, nonce)
                + "&timestamp=" + timestamp + "&nonce=" + nonce + "&openid=" + openid);
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Content-Type", "text/xml")
                    .POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
