package io.omnihub.hub.reports;

import static io.omnihub.hub.reports.ReportsHttp.event;
import static io.omnihub.hub.reports.ReportsHttp.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.hub.RunningHub;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The reports over the running hub's API: events in through {@code POST /api/v1/events}, KPIs, a
 * journey's funnel and attribution read back as JSON and as CSV. The KPI figures are for April 2003,
 * a month no other test writes events in:
 *
 * <pre>
 * X first seen 03-20 (WeChat); orders 04-02 tmall 10 000 CNY, 04-10 pos 30 000 CNY
 * Y first seen 04-05 with an order on wechat 5 000 CNY
 * customers at start 1, at end 2, new 1, active 2, retained 1 → retention 1
 * 3 orders, 2 customers with orders, X repeats and is cross-channel → 1/2, 1/2
 * CNY 45 000: AOV 15 000, customer value 22 500; lifespan (8 d + 0) / 2 = 4 d; CLV 22 500 × 4 / 30 = 3 000
 * </pre>
 */
class ReportsApiTest extends RunningHub {

    private static final String APRIL = "from=2003-04-01&to=2003-04-30";
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void theKpisOfAPeriodAreExactAsJsonAndAsCsvAndAViewerMayReadThem() {
        String x = "ox-" + run;
        String y = "oy-" + run;
        post(event("x1-" + run, "message.received", "wechat", "2003-03-20T02:00:00Z", x, null));
        post(event("x2-" + run, "order.paid", "tmall", "2003-04-02T02:00:00Z", x, order("X1-" + run, 10_000)));
        post(event("x3-" + run, "order.paid", "pos", "2003-04-10T02:00:00Z", x, order("X2-" + run, 30_000)));
        post(event("y1-" + run, "order.paid", "wechat", "2003-04-05T02:00:00Z", y, order("Y1-" + run, 5_000)));

        JsonNode k = awaitJson("/api/v1/reports/kpis?" + APRIL, Duration.ofSeconds(60), j -> j.path("orders").asLong() == 3
                && j.path("customers").asLong() == 2);
        assertThat(k.path("period").path("from").asText()).isEqualTo("2003-04-01T00:00:00Z");
        assertThat(k.path("period").path("to").asText()).isEqualTo("2003-05-01T00:00:00Z");
        assertThat(k.path("customersAtStart").asLong()).isEqualTo(1);
        assertThat(k.path("newCustomers").asLong()).isEqualTo(1);
        assertThat(k.path("activeCustomers").asLong()).isEqualTo(2);
        assertThat(k.path("retention").decimalValue()).isEqualByComparingTo("1");
        assertThat(k.path("repurchaseRate").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(k.path("crossChannelShare").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(k.path("averageLifespanDays").decimalValue()).isEqualByComparingTo("4");
        JsonNode cny = k.path("currencies").get(0);
        assertThat(cny.path("currency").asText()).isEqualTo("CNY");
        assertThat(cny.path("revenueMinor").asLong()).isEqualTo(45_000);
        assertThat(cny.path("averageOrderValueMinor").decimalValue()).isEqualByComparingTo("15000");
        assertThat(cny.path("averageCustomerValueMinor").decimalValue()).isEqualByComparingTo("22500");
        assertThat(cny.path("clvMinor").decimalValue()).isEqualByComparingTo("3000");
        assertThat(k.path("channels").toString()).contains("\"channel\":\"pos\"", "\"channel\":\"tmall\"", "\"channel\":\"wechat\"");
        assertThat(k.path("formulas").path("retention").asText()).contains("customers at start");

        HttpResponse<String> csv = call("/api/v1/reports/kpis?" + APRIL, "text/csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment; filename=\"kpis-2003-04-01");
        assertThat(csv.body()).startsWith("figure,channel,currency,value,formula\r\n")
                .contains("\r\nretention,,,1.0000,", "\r\nclvMinor,,CNY,3000.00,", "\r\nchannelRevenueMinor,pos,CNY,30000,");
        assertThat(call("/api/v1/reports/kpis?" + APRIL + "&format=csv", "application/json").body()).isEqualTo(csv.body());

        assertThat(send("/api/v1/reports/kpis?" + APRIL, VIEWER, VIEWER_PASSWORD).status()).isEqualTo(200);
        assertThat(getAnonymously("/api/v1/reports/kpis?" + APRIL).status()).isEqualTo(401);
        assertThat(call("/api/v1/reports/kpis?from=2003-05-01&to=2003-04-01", "application/json").statusCode()).isEqualTo(400);
        assertThat(call("/api/v1/reports/kpis?from=April", "application/json").body()).contains("from must be a date");
        assertThat(call("/api/v1/reports/kpis?format=xml", "application/json").statusCode()).isEqualTo(400);
    }

    @Test
    void attributionWithoutJourneyMessagesCreditsNothingAndTellsTheModelApart() {
        JsonNode last = getAsAdmin("/api/v1/reports/attribution?" + APRIL).json();
        assertThat(last.path("model").asText()).isEqualTo("LAST_TOUCH");
        assertThat(last.path("credits").isEmpty()).isTrue();
        assertThat(last.path("window").asText()).isEqualTo("PT168H");
        JsonNode markov = getAsAdmin("/api/v1/reports/attribution?" + APRIL + "&model=markov").json();
        assertThat(markov.path("model").asText()).isEqualTo("MARKOV");
        assertThat(markov.path("paths").asLong()).isZero();
        assertThat(call("/api/v1/reports/attribution?" + APRIL + "&model=first-touch", "application/json").statusCode()).isEqualTo(400);
        assertThat(call("/api/v1/reports/attribution?" + APRIL + "&window=forever", "application/json").statusCode()).isEqualTo(400);
        HttpResponse<String> csv = call("/api/v1/reports/attribution?" + APRIL + "&model=markov&format=csv", "*/*");
        assertThat(csv.body()).startsWith("model,from,to,journey,channel,currency,orders,revenueMinor,removalEffect,share\r\n");
    }

    @Test
    void aJourneysFunnelCountsItsEnrollmentAndTheGoalReachedAfterIt() {
        String journey = "reports-" + run;
        String yaml = """
                trigger:
                  event: cart.updated
                  when: "event.id.startsWith('cart-%s')"
                goal: { event: order.paid, within: 7d }
                steps:
                  - id: mark
                    tag: %s
                """.formatted(run, journey);
        http().putJourney(journey, yaml);
        String openid = "oz-" + run;
        String now = Instant.now().toString();
        post(event("cart-" + run, "cart.updated", "wechat", now, openid, null));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String funnel = "/api/v1/reports/journeys/" + journey + "/funnel?from=" + today + "&to=" + today;
        awaitJson(funnel, Duration.ofSeconds(60), j -> j.path("enrolled").asLong() == 1);
        post(event("paid-" + run, "order.paid", "wechat", Instant.now().plusSeconds(1).toString(), openid, order("Z1-" + run, 1_000)));

        JsonNode f = awaitJson(funnel, Duration.ofSeconds(60), j -> j.path("converted").asLong() == 1);
        assertThat(f.path("goal").path("event").asText()).isEqualTo("order.paid");
        assertThat(f.path("goal").path("within").asText()).isEqualTo("PT168H");
        assertThat(f.path("goalEnrollments").asLong()).isEqualTo(1);
        assertThat(f.path("conversionRate").decimalValue()).isEqualByComparingTo("1");
        assertThat(f.path("sent").isEmpty()).isTrue();
        HttpResponse<String> csv = call(funnel + "&format=csv", "*/*");
        assertThat(csv.body()).contains(journey + "," + today + "T00:00:00Z,", ",enrolled,,1\r\n", ",converted,order.paid within");
        assertThat(call("/api/v1/reports/journeys/no-such-" + run + "/funnel", "application/json").statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------------------------------

    private ReportsHttp http() {
        return new ReportsHttp(port, admin);
    }

    private void post(String event) {
        http().post(event);
    }

    private HttpResponse<String> call(String path, String accept) {
        return http().get(path, accept);
    }
}
