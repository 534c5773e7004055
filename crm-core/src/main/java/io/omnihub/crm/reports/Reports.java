package io.omnihub.crm.reports;

import io.omnihub.crm.CrmException;
import io.omnihub.crm.jdbc.Transactions;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * What a brand reads to see whether its CRM works: customer KPIs, journey funnels and attribution of
 * orders to journey messages. Each report reads one consistent state of the database (a repeatable
 * read transaction). docs/reports.md gives every formula.
 */
public final class Reports {

    /** The last-touch window when none is given: an order is credited to a message of the 7 days before it. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);

    private final Transactions tx;

    public Reports(DataSource ds) {
        this.tx = new Transactions(Objects.requireNonNull(ds, "ds"), Transactions.Retry.lockRaces(1), CrmException::new);
    }

    /** The customer KPIs of {@code period}. */
    public KpiReport kpis(ReportPeriod period) {
        return tx.read(c -> KpiReader.read(c, period));
    }

    /** The funnel of journey {@code journey} (also one no longer defined) over the enrollments started in {@code period}. */
    public JourneyFunnel funnel(String journey, ReportPeriod period) {
        return tx.read(c -> FunnelReader.read(c, journey, period));
    }

    /**
     * The orders placed in {@code period} credited by {@code model}; {@code window} (last touch only)
     * is how long before an order a message still earns it.
     */
    public AttributionReport attribution(ReportPeriod period, AttributionReport.Model model, Duration window) {
        if (model == AttributionReport.Model.LAST_TOUCH && (window == null || window.isNegative() || window.isZero())) {
            throw new IllegalArgumentException("the last-touch window must be positive");
        }
        return tx.read(c -> AttributionReader.read(c, period, model, model == AttributionReport.Model.LAST_TOUCH ? window : null));
    }
}
