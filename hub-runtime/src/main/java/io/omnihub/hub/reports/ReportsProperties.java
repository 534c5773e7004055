package io.omnihub.hub.reports;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** How the reports credit orders ({@code hub.reports.*}); see docs/reports.md. */
@ConfigurationProperties(prefix = "hub.reports")
public class ReportsProperties {

    /**
     * Last-touch attribution: how long before an order a journey message still earns it, when the
     * request does not say ({@code window=}).
     */
    private Duration lastTouchWindow = Duration.ofDays(7);

    /** The period a report covers when the request gives no {@code from}: this long before its end. */
    private Duration defaultPeriod = Duration.ofDays(30);

    public Duration getLastTouchWindow() {
        return lastTouchWindow;
    }

    public void setLastTouchWindow(Duration lastTouchWindow) {
        this.lastTouchWindow = lastTouchWindow;
    }

    public Duration getDefaultPeriod() {
        return defaultPeriod;
    }

    public void setDefaultPeriod(Duration defaultPeriod) {
        this.defaultPeriod = defaultPeriod;
    }
}
