package io.omnihub.hub.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** How the hub's health is checked ({@code hub.health.*}). */
@ConfigurationProperties(prefix = "hub.health")
public class HealthProperties {

    /**
     * The longest {@code /actuator/health} waits for its checks, which run side by side. A check
     * that has not answered by then reads DOWN ("no answer within ..."), so a hanging database or
     * broker shows as DOWN within this time instead of holding the probe; what is left of two seconds
     * covers the HTTP exchange on a busy node.
     */
    private Duration timeout = Duration.ofMillis(1200);

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }
}
