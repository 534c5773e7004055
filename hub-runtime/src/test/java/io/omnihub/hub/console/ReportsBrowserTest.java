package io.omnihub.hub.console;

import static io.omnihub.hub.reports.ReportsHttp.event;
import static io.omnihub.hub.reports.ReportsHttp.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.hub.RunningHub;
import io.omnihub.hub.reports.ReportsHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The Reports page in a real headless Chromium against the running hub: a brand's analyst picks a
 * period and reads the KPIs with their formulas, the revenue per channel drawn by the hub's own
 * script, a journey's funnel and both attribution models, and downloads the CSV the page links to.
 * The data are in June 2004, a month no other test writes events in: one customer, two orders on
 * two channels (tmall 12 345 CNY, pos 20 000 CNY).
 */
class ReportsBrowserTest extends RunningHub {

    private static final String JUNE = "from=2004-06-01&to=2004-06-30";
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    final ConsoleBrowser console = new ConsoleBrowser(Duration.ofSeconds(45), Duration.ofMillis(100));

    @Test
    void anAnalystReadsTheMonthsKpisWithTheirFormulasTheFunnelAndBothAttributionModelsAndDownloadsTheCsv() {
        ReportsHttp http = new ReportsHttp(port, admin);
        String openid = "ob-" + run;
        http.post(event("b1-" + run, "order.paid", "tmall", "2004-06-03T02:00:00Z", openid, order("B1-" + run, 12_345)));
        http.post(event("b2-" + run, "order.paid", "pos", "2004-06-13T02:00:00Z", openid, order("B2-" + run, 20_000)));
        String journey = "browser-" + run;
        http.putJourney(journey, """
                trigger: { event: cart.updated, when: "event.id.startsWith('cart-%s')" }
                goal: { event: order.paid, within: 3d }
                steps: [ { id: mark, tag: %s } ]
                """.formatted(run, journey));
        awaitJson("/api/v1/reports/kpis?" + JUNE, Duration.ofSeconds(60), k -> k.path("orders").asLong() == 2);

        console.logIn(base(), admin.username(), admin.password());
        console.driver().get(base() + "/#/reports?" + JUNE + "&journey=" + journey);
        WebElement repurchase = console.await().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-kpi=repurchaseRate]")));
        assertThat(repurchase.findElement(By.cssSelector(".value")).getText()).isEqualTo("100.0 %");
        assertThat(repurchase.findElement(By.cssSelector(".formula")).getText())
                .isEqualTo("customers with 2 or more orders in the period / customers with 1 or more");
        assertThat(console.text("[data-kpi=newCustomers] .value")).isEqualTo("1");
        assertThat(console.text("[data-kpi=crossChannelShare] .value")).isEqualTo("100.0 %");
        assertThat(console.text("[data-kpi=retention] .formula")).contains("customers at start");
        assertThat(console.text("#report-currencies tr[data-currency=CNY]")).contains("CNY", "2");
        assertThat(console.text("#report-kpis")).contains("CLV: average customer value × average lifespan");
        List<WebElement> bars = console.driver().findElements(By.cssSelector("svg[data-chart=revenue-CNY] rect.bar"));
        assertThat(bars).extracting(b -> b.getAttribute("data-label")).containsExactly("pos", "tmall");
        assertThat(bars).extracting(b -> b.getAttribute("data-value")).containsExactly("20000", "12345");
        assertThat(Integer.parseInt(bars.get(0).getAttribute("width"))).isGreaterThan(Integer.parseInt(bars.get(1).getAttribute("width")));
        assertThat(((String) ((org.openqa.selenium.JavascriptExecutor) console.driver())
                .executeScript("return performance.getEntriesByType('resource').map(e => e.name).join(' ')")))
                .doesNotContain("://cdn").doesNotContainPattern("https?://(?!localhost)");

        // the funnel of the chosen journey: nobody enrolled in June 2004; the goal it names now is shown
        console.await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("svg[data-chart=funnel]")));
        assertThat(console.driver().findElement(By.id("report-journey")).getAttribute("value")).isEqualTo(journey);
        assertThat(console.text("#report-funnel")).contains("enrolled", "Converted: the customer had order.paid within 3 d");
        assertThat(console.driver().findElements(By.cssSelector("svg[data-chart=funnel] rect.bar.converted"))).hasSize(1);

        // attribution: last touch by default, then the Markov model
        console.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("report-attribution"), "Last touch: each order goes whole"));
        assertThat(console.text("#report-attribution")).contains("Orders in the period: 2", "within 7 d");
        console.driver().findElement(By.cssSelector("[data-action=model-markov]")).click();
        console.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("report-attribution"), "Markov removal effect"));
        assertThat(console.text("#report-attribution")).contains("0 paths");
        console.screenshot("reports-page");

        // the download link is the CSV the API gives for the same period
        String href = console.driver().findElement(By.cssSelector("[data-action=csv-kpis]")).getAttribute("href");
        assertThat(href).contains("/api/v1/reports/kpis?" + JUNE + "&format=csv");
        HttpResponse<String> csv = http.get(href.substring(href.indexOf("/api/")), "*/*");
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body()).contains("\r\nchannelRevenueMinor,tmall,CNY,12345,", "\r\nrepurchaseRate,,,1.0000,");
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
