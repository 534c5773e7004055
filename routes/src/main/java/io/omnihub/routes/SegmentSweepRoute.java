package io.omnihub.routes;

import io.omnihub.crm.SweepClaims;
import io.omnihub.crm.automation.Automation;
import io.omnihub.crm.automation.SegmentSweep;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code segment-sweep}: keeps time-based segments and RFM recency current without events. Every
 * node looks every {@code checkEvery} whether a segment needs its backfill or the sweep of the current
 * period has not run; the first node to claim it ({@link SweepClaims}) runs it, in batches of
 * customers, and the others skip it. A node that dies mid-sweep leaves its claim to be taken over
 * once the lease runs out.
 */
public final class SegmentSweepRoute extends RouteBuilder {

    public static final String ROUTE_ID = "segment-sweep";
    private static final Logger LOG = LoggerFactory.getLogger(SegmentSweepRoute.class);

    private final Automation automation;
    private final SweepClaims claims;
    private final SegmentSweep.Schedule schedule;
    private final Duration checkEvery;

    public SegmentSweepRoute(Automation automation, SweepClaims claims, SegmentSweep.Schedule schedule, Duration checkEvery) {
        this.automation = automation;
        this.claims = claims;
        this.schedule = schedule;
        this.checkEvery = checkEvery;
    }

    @Override
    public void configure() {
        from("timer:segment-sweep?period=" + checkEvery.toMillis() + "&delay=" + checkEvery.toMillis())
                .routeId(ROUTE_ID)
                .process(exchange -> runDue());
    }

    /** The last sweep that finished, on any node. */
    public Optional<SweepClaims.Finished> lastSweep() {
        return claims.lastFinished(SegmentSweep.SWEEP_JOB);
    }

    /** Runs the backfills and the sweep that are due and not claimed by another node; returns what ran here. */
    public List<SegmentSweep.Result> runDue() {
        try {
            return automation.sweep().runDue(claims, schedule);
        } catch (RuntimeException e) {
            // the claim stays unfinished: this node or another takes it over once its lease is over.
            // Only the SQL state is logged: PostgreSQL's messages quote the data.
            String state = e.getCause() instanceof SQLException sql ? "SQL state " + sql.getSQLState() : e.getClass().getSimpleName();
            LOG.warn("segment-sweep: stopped ({}), to be taken up again", state);
            return List.of();
        }
    }
}
