package io.omnihub.hub.api;

import io.omnihub.crm.SweepClaims;
import io.omnihub.hub.privacy.retention.RetentionKind;
import io.omnihub.hub.privacy.retention.RetentionProperties;
import io.omnihub.hub.privacy.retention.RetentionRuns;
import io.omnihub.hub.privacy.retention.RetentionSweep;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** How long each kind of data is kept, and what the daily retention sweep last did (counts only). */
@RestController
@RequestMapping(path = "/api/v1/privacy/retention", produces = "application/json")
@Tag(name = "privacy", description = "Personal data: retention, suppressions, audit")
public class RetentionController {

    private final RetentionProperties properties;
    private final RetentionRuns runs;
    private final SweepClaims claims;

    public RetentionController(RetentionProperties properties, RetentionRuns runs, SweepClaims claims) {
        this.properties = properties;
        this.runs = runs;
        this.claims = claims;
    }

    /**
     * The retention settings and the sweeps.
     *
     * @param enabled   whether the daily sweep runs
     * @param zone      the time zone of its days
     * @param startAt   the time of day from which a day's sweep may start
     * @param batchSize rows or messages per transaction
     * @param kinds     each kind of data with its period and last sweep
     * @param lastSweep the last finished daily sweep, null before the first
     */
    public record Retention(boolean enabled, String zone, String startAt, int batchSize, List<Kind> kinds, LastSweep lastSweep) {
    }

    /**
     * One kind of data.
     *
     * @param kind      {@code timeline-detail}, {@code action-payloads}, {@code dead-letters}, {@code raw-records} or {@code audit}
     * @param retention how long it is kept (ISO-8601, e.g. {@code PT720H} for 30 days)
     * @param lastRun   its last sweep, null before the first
     */
    public record Kind(String kind, Duration retention, RetentionRuns.Run lastRun) {
    }

    /**
     * A finished daily sweep.
     *
     * @param period  the day
     * @param node    the node that ran it
     * @param at      when it finished
     * @param outcome counts per kind, and the kinds that failed
     */
    public record LastSweep(String period, String node, Instant at, String outcome) {
    }

    @GetMapping
    @Operation(summary = "How long each kind of data is kept and what the daily sweep last removed or cleared, per kind (counts only)")
    public Retention show() {
        Map<RetentionKind, RetentionRuns.Run> last = runs.last();
        List<Kind> kinds = new ArrayList<>();
        properties.periods().forEach((kind, period) -> kinds.add(new Kind(kind.id(), period, last.get(kind))));
        LastSweep lastSweep = claims.lastFinished(RetentionSweep.JOB)
                .map(finished -> new LastSweep(finished.period(), finished.node(), finished.at(), finished.outcome()))
                .orElse(null);
        return new Retention(properties.isEnabled(), properties.getZone().getId(), properties.getStartAt().toString(),
                properties.getBatchSize(), kinds, lastSweep);
    }
}
