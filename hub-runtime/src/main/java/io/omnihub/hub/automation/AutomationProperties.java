package io.omnihub.hub.automation;

import io.omnihub.crm.automation.GuardSettings;
import io.omnihub.crm.automation.SegmentSweep;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Rules, segments and journeys ({@code hub.automation.*}, docs/automation.md): where their
 * definitions live, how often timers and the outbox are looked at, the guards on marketing
 * messages, and the targets of the outbound webhook action.
 */
@ConfigurationProperties(prefix = "hub.automation")
public class AutomationProperties {

    /**
     * The folder of definition files ({@code *.yaml}, {@code *.yml}, sub-folders included), read at
     * start and again whenever a file is added, changed or removed. It need not exist.
     */
    private Path dir = Path.of("automation");

    /** How often the folder (and the definitions written over the API) are checked for changes. */
    private Duration scanInterval = Duration.ofSeconds(2);

    /** How often due journey timers and task escalations are fired. */
    private Duration timerInterval = Duration.ofSeconds(1);

    /** How often planned actions are moved from the outbox to hub.actions. */
    private Duration outboxInterval = Duration.ofSeconds(1);

    /**
     * How often windowed traits are checked for a backfill (a new or changed trait) and profiles an
     * unmerge took events from are recounted.
     */
    private Duration traitInterval = Duration.ofSeconds(5);

    /** Parallel consumers of hub.actions (calls to channels). */
    private int dispatchConsumers = 1;

    /** What holds back marketing messages. */
    private final Guards guards = new Guards();

    /** The sweep that keeps time-based segments and RFM recency current without events. */
    private final Sweep sweep = new Sweep();

    /**
     * Targets of the {@code webhook} action by name: {@code hub.automation.webhooks.<name>.url} and
     * {@code .secret} (HMAC-SHA256 key; keep it in an environment variable).
     */
    private Map<String, Webhook> webhooks = new LinkedHashMap<>();

    public Path getDir() {
        return dir;
    }

    public void setDir(Path dir) {
        this.dir = dir;
    }

    public Duration getScanInterval() {
        return scanInterval;
    }

    public void setScanInterval(Duration scanInterval) {
        this.scanInterval = scanInterval;
    }

    public Duration getTimerInterval() {
        return timerInterval;
    }

    public void setTimerInterval(Duration timerInterval) {
        this.timerInterval = timerInterval;
    }

    public Duration getTraitInterval() {
        return traitInterval;
    }

    public void setTraitInterval(Duration traitInterval) {
        this.traitInterval = traitInterval;
    }

    public Duration getOutboxInterval() {
        return outboxInterval;
    }

    public void setOutboxInterval(Duration outboxInterval) {
        this.outboxInterval = outboxInterval;
    }

    public int getDispatchConsumers() {
        return dispatchConsumers;
    }

    public void setDispatchConsumers(int dispatchConsumers) {
        this.dispatchConsumers = dispatchConsumers;
    }

    public Guards getGuards() {
        return guards;
    }

    public Sweep getSweep() {
        return sweep;
    }

    public Map<String, Webhook> getWebhooks() {
        return webhooks;
    }

    public void setWebhooks(Map<String, Webhook> webhooks) {
        this.webhooks = webhooks;
    }

    /** Consent, frequency caps and quiet hours for marketing messages. */
    public static class Guards {

        /**
         * Which customers may get marketing: {@code explicit} only those who stated marketing consent
         * (opt-in, as PIPL expects), {@code unless-declined} everybody except those who declined.
         */
        private GuardSettings.Consent marketingConsent = GuardSettings.Consent.EXPLICIT;

        /** Marketing messages per customer per channel (connector) within {@code per-channel-window}; 0 for no cap. */
        private int perChannelMax = 2;

        private Duration perChannelWindow = Duration.ofDays(1);

        /** Marketing messages per customer across all channels within {@code all-channels-window}; 0 for no cap. */
        private int allChannelsMax = 5;

        private Duration allChannelsWindow = Duration.ofDays(7);

        /** Whether quiet hours hold back marketing messages at all. */
        private boolean quietHoursEnabled = true;

        /**
         * Start of quiet hours in the customer's time zone; a marketing message planned between start
         * and end waits until the end.
         */
        private LocalTime quietHoursStart = LocalTime.of(21, 0);

        private LocalTime quietHoursEnd = LocalTime.of(8, 0);

        /** The time zone of customers whose profile states none. */
        private ZoneId defaultTimeZone = ZoneId.of("Asia/Shanghai");

        /** The profile attribute with a customer's IANA time zone, e.g. {@code Europe/Berlin}. */
        private String timeZoneAttribute = "timezone";

        GuardSettings toSettings() {
            return new GuardSettings(marketingConsent, new GuardSettings.Cap(perChannelMax, perChannelWindow),
                    new GuardSettings.Cap(allChannelsMax, allChannelsWindow), quietHoursEnabled ? quietHoursStart : null,
                    quietHoursEnabled ? quietHoursEnd : null,
                    defaultTimeZone, timeZoneAttribute);
        }

        public GuardSettings.Consent getMarketingConsent() {
            return marketingConsent;
        }

        public void setMarketingConsent(GuardSettings.Consent marketingConsent) {
            this.marketingConsent = marketingConsent;
        }

        public int getPerChannelMax() {
            return perChannelMax;
        }

        public void setPerChannelMax(int perChannelMax) {
            this.perChannelMax = perChannelMax;
        }

        public Duration getPerChannelWindow() {
            return perChannelWindow;
        }

        public void setPerChannelWindow(Duration perChannelWindow) {
            this.perChannelWindow = perChannelWindow;
        }

        public int getAllChannelsMax() {
            return allChannelsMax;
        }

        public void setAllChannelsMax(int allChannelsMax) {
            this.allChannelsMax = allChannelsMax;
        }

        public Duration getAllChannelsWindow() {
            return allChannelsWindow;
        }

        public void setAllChannelsWindow(Duration allChannelsWindow) {
            this.allChannelsWindow = allChannelsWindow;
        }

        public boolean isQuietHoursEnabled() {
            return quietHoursEnabled;
        }

        public void setQuietHoursEnabled(boolean quietHoursEnabled) {
            this.quietHoursEnabled = quietHoursEnabled;
        }

        public LocalTime getQuietHoursStart() {
            return quietHoursStart;
        }

        public void setQuietHoursStart(LocalTime quietHoursStart) {
            this.quietHoursStart = quietHoursStart;
        }

        public LocalTime getQuietHoursEnd() {
            return quietHoursEnd;
        }

        public void setQuietHoursEnd(LocalTime quietHoursEnd) {
            this.quietHoursEnd = quietHoursEnd;
        }

        public ZoneId getDefaultTimeZone() {
            return defaultTimeZone;
        }

        public void setDefaultTimeZone(ZoneId defaultTimeZone) {
            this.defaultTimeZone = defaultTimeZone;
        }

        public String getTimeZoneAttribute() {
            return timeZoneAttribute;
        }

        public void setTimeZoneAttribute(String timeZoneAttribute) {
            this.timeZoneAttribute = timeZoneAttribute;
        }
    }

    /**
     * The segment sweep ({@code hub.automation.sweep.*}): every segment and RFM re-evaluated over
     * every customer once per interval, on one node of the cluster; new or changed segments backfilled.
     */
    public static class Sweep {

        /**
         * One sweep per period of this length, periods counted from midnight UTC (so daily sweeps
         * start at 08:00 in Shanghai); at least a minute. Conditions over the time ({@code now}) are
         * current to within one interval.
         */
        private Duration interval = Duration.ofDays(1);

        /** Customers per batch; each batch is one transaction holding their profiles locked. */
        private int batchSize = 500;

        /** How often each node looks whether a sweep or a backfill is due and unclaimed. */
        private Duration checkInterval = Duration.ofMinutes(1);

        /**
         * How long a node's claim on a sweep holds before another node may take it over, when the
         * node died during the sweep.
         */
        private Duration lease = Duration.ofHours(1);

        SegmentSweep.Schedule toSchedule() {
            return new SegmentSweep.Schedule(interval, batchSize, lease);
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public Duration getCheckInterval() {
            return checkInterval;
        }

        public void setCheckInterval(Duration checkInterval) {
            this.checkInterval = checkInterval;
        }

        public Duration getLease() {
            return lease;
        }

        public void setLease(Duration lease) {
            this.lease = lease;
        }
    }

    /** One target of the outbound webhook action. */
    public static class Webhook {

        /** Where the JSON is POSTed. */
        private String url;

        /** The HMAC-SHA256 key the body is signed with ({@code X-OmniHub-Signature}); a secret. */
        private String secret;

        /** How long to wait for the answer. */
        private Duration timeout = Duration.ofSeconds(10);

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getSecret() {
            return secret;
        }

        public void setSecret(String secret) {
            this.secret = secret;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }
}
