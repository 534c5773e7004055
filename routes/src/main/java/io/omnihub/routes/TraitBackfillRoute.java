package io.omnihub.routes;

import io.omnihub.crm.CrmException;
import io.omnihub.crm.SweepClaims;
import io.omnihub.crm.automation.Automation;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code trait-backfill}: recounts a new or changed windowed trait from the customers' timelines
 * (once across the cluster: whichever node claims it), and the profiles an unmerge took events from.
 * Every node runs it; with nothing to do a visit reads one row per trait.
 */
public final class TraitBackfillRoute extends RouteBuilder {

    public static final String ROUTE_ID = "trait-backfill";
    private static final Logger LOG = LoggerFactory.getLogger(TraitBackfillRoute.class);

    private final Automation automation;
    private final SweepClaims claims;
    private final Duration interval;

    public TraitBackfillRoute(Automation automation, SweepClaims claims, Duration interval) {
        this.automation = automation;
        this.claims = claims;
        this.interval = interval;
    }

    @Override
    public void configure() {
        from("timer:trait-backfill?period=" + interval.toMillis() + "&delay=" + interval.toMillis())
                .routeId(ROUTE_ID)
                .process(exchange -> runDue());
    }

    /** Backfills and recounts what is due now; returns how many customers were recounted. */
    public int runDue() {
        try {
            return automation.traits().runDue(claims);
        } catch (CrmException e) {
            LOG.warn("trait-backfill: waits for the next visit: {}", e.getMessage());
            return 0;
        }
    }
}
