package io.omnihub.hub.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.omnihub.crm.automation.Automation;
import io.omnihub.crm.reports.AttributionReport;
import io.omnihub.crm.reports.JourneyFunnel;
import io.omnihub.crm.reports.KpiReport;
import io.omnihub.crm.reports.ReportPeriod;
import io.omnihub.crm.reports.Reports;
import io.omnihub.hub.reports.ReportCsv;
import io.omnihub.hub.reports.ReportsProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Customer KPIs, journey funnels and attribution over a period, as JSON or CSV ({@code Accept: text/csv}
 * or {@code ?format=csv}). {@code from} and {@code to} are dates (UTC days, both included) or instants
 * ({@code to} excluded); without them, the last {@code hub.reports.default-period} up to the end of today.
 */
@RestController
@RequestMapping(path = "/api/v1/reports", produces = {"application/json", "text/csv"})
@Tag(name = "reports")
public class ReportsController {

    private static final MediaType CSV = new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8);
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,4})([dhm])");

    private final Reports reports;
    private final Automation automation;
    private final ReportsProperties properties;
    private final Clock clock;

    ReportsController(Reports reports, Automation automation, ReportsProperties properties, Clock clock) {
        this.reports = reports;
        this.automation = automation;
        this.properties = properties;
        this.clock = clock;
    }

    /** The KPIs with each figure's formula beside them. */
    public record KpiView(@JsonUnwrapped KpiReport report, Map<String, String> formulas) {
    }

    @GetMapping("/kpis")
    @Operation(summary = "Customer KPIs of a period: customers, new, active, retention, repurchase, AOV, CLV, cross-channel share, "
            + "revenue per channel (docs/reports.md has every formula)")
    public ResponseEntity<?> kpis(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                  @RequestParam(required = false) String format,
                                  @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        ReportPeriod period = period(from, to);
        return answer(format, accept, "kpis", period, () -> reports.kpis(period), r -> new KpiView(r, KpiReport.FORMULAS),
                ReportCsv::kpis);
    }

    @GetMapping("/journeys/{journey}/funnel")
    @Operation(summary = "A journey's funnel over the enrollments started in a period: enrolled, sent per channel, suppressed per "
            + "guard, converted (its goal event within its time)")
    public ResponseEntity<?> funnel(@PathVariable String journey, @RequestParam(required = false) String from,
                                    @RequestParam(required = false) String to, @RequestParam(required = false) String format,
                                    @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        ReportPeriod period = period(from, to);
        var defined = automation.definitions().journey(journey);
        if (defined.isEmpty() && automation.views().enrollmentCounts(journey).values().stream().allMatch(n -> n == 0)) {
            throw ApiProblems.notFound("no journey '" + journey + "'");
        }
        JourneyFunnel funnel = reports.funnel(journey, period).orGoal(defined.map(j -> j.goal())
                .map(g -> new JourneyFunnel.Goal(g.event(), g.within())).orElse(null));
        return answer(format, accept, "funnel-" + journey, period, () -> funnel, f -> f, ReportCsv::funnel);
    }

    @GetMapping("/attribution")
    @Operation(summary = "Orders of a period credited to journey messages: last touch within a window, or the Markov removal-effect "
            + "model over channel paths")
    public ResponseEntity<?> attribution(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                         @RequestParam(defaultValue = "last-touch") String model,
                                         @RequestParam(required = false) String window,
                                         @RequestParam(required = false) String format,
                                         @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        ReportPeriod period = period(from, to);
        AttributionReport.Model m;
        try {
            m = AttributionReport.Model.of(model);
        } catch (IllegalArgumentException e) {
            throw ApiProblems.badRequest(e.getMessage());
        }
        Duration w = window == null ? properties.getLastTouchWindow() : duration(window);
        return answer(format, accept, "attribution-" + m.id(), period, () -> reports.attribution(period, m, w), r -> r,
                ReportCsv::attribution);
    }

    private <R> ResponseEntity<?> answer(String format, String accept, String name, ReportPeriod period, Supplier<R> report,
                                         Function<R, ?> json, Function<R, String> csv) {
        if (format != null && !format.equals("csv") && !format.equals("json")) {
            throw ApiProblems.badRequest("format must be json or csv");
        }
        boolean asCsv = "csv".equals(format) || (format == null && accept != null && accept.contains("text/csv")
                && !accept.contains("application/json"));
        R r = report.get();
        if (!asCsv) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.apply(r));
        }
        String file = name + "-" + period.from() + "-" + period.to() + ".csv";
        return ResponseEntity.ok().contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file.replace(':', '-') + "\"")
                .body(csv.apply(r));
    }

    /** The period of {@code from}/{@code to} as the API takes them (see the class comment). */
    ReportPeriod period(String from, String to) {
        Instant end = to == null ? LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                : instant(to, "to", true);
        Instant start = from == null ? end.minus(properties.getDefaultPeriod()) : instant(from, "from", false);
        try {
            return new ReportPeriod(start, end);
        } catch (IllegalArgumentException e) {
            throw ApiProblems.badRequest(e.getMessage());
        }
    }

    private static Instant instant(String text, String name, boolean end) {
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiProblems.badRequest(name + " must be a date (2026-03-31) or an instant (2026-03-31T16:00:00Z), not '" + text + "'");
        }
    }

    private static Duration duration(String text) {
        Matcher m = SHORT_DURATION.matcher(text);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMinutes(n);
            };
        } else {
            try {
                d = Duration.parse(text);
            } catch (DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null || d.isZero() || d.isNegative() || d.compareTo(Duration.ofDays(366)) > 0) {
            throw ApiProblems.badRequest("window must be a duration from 1m to 366d (7d, 48h, PT36H), not '" + text + "'");
        }
        return d;
    }
}
