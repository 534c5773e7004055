package io.omnihub.hub.pipeline;

import io.omnihub.routes.ingress.WebhookLimits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the public webhook endpoint {@code /hooks/<connector>/<instance>} ({@code hub.webhooks.*}).
 * The body limit holds while reading: a larger {@code Content-Length} is refused before the body is
 * read, and a chunked body is cut off at the limit, so an oversized request costs no memory.
 */
@ConfigurationProperties(prefix = "hub.webhooks")
public class WebhookProperties {

    /**
     * The largest webhook body accepted; larger ones are answered 413. Channel pushes are small
     * (a WeChat message is well under 10 KB, a 抖店 push of a hundred orders under 100 KB).
     */
    private DataSize maxBodySize = DataSize.ofMegabytes(1);

    /**
     * How long a webhook request may be held, reading its body included, before it is answered 503
     * so the channel sends it again. Below WeChat's and Douyin's 5 s, so they hear the answer.
     */
    private Duration deadline = Duration.ofSeconds(4);

    /** What a 503 answer asks the channel to wait before it retries ({@code Retry-After}). */
    private Duration retryAfter = Duration.ofSeconds(5);

    /** Limits of particular connectors, by connector id: {@code hub.webhooks.connectors.wechat.max-body-size=256KB}. */
    private Map<String, ConnectorLimits> connectors = new LinkedHashMap<>();

    /** Per-connector overrides; unset values fall back to the ones above. */
    public static class ConnectorLimits {

        /** The largest body this connector's webhooks accept. */
        private DataSize maxBodySize;

        /** How long this connector's webhook requests may be held before they are answered 503. */
        private Duration deadline;

        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }

        public Duration getDeadline() {
            return deadline;
        }

        public void setDeadline(Duration deadline) {
            this.deadline = deadline;
        }
    }

    /** The limits the webhook servlet applies. */
    public WebhookLimits toLimits() {
        Map<String, Long> bodies = new LinkedHashMap<>();
        Map<String, Duration> deadlines = new LinkedHashMap<>();
        connectors.forEach((connector, limits) -> {
            if (limits.getMaxBodySize() != null) {
                bodies.put(connector, limits.getMaxBodySize().toBytes());
            }
            if (limits.getDeadline() != null) {
                deadlines.put(connector, limits.getDeadline());
            }
        });
        return new WebhookLimits(maxBodySize.toBytes(), bodies, deadline, deadlines, retryAfter);
    }

    public DataSize getMaxBodySize() {
        return maxBodySize;
    }

    public void setMaxBodySize(DataSize maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    public Duration getDeadline() {
        return deadline;
    }

    public void setDeadline(Duration deadline) {
        this.deadline = deadline;
    }

    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    public Map<String, ConnectorLimits> getConnectors() {
        return connectors;
    }

    public void setConnectors(Map<String, ConnectorLimits> connectors) {
        this.connectors = connectors;
    }
}
