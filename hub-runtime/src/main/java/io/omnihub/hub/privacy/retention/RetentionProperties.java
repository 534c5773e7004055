package io.omnihub.hub.privacy.retention;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long the hub keeps each kind of data, under {@code hub.privacy.retention.*}, and when it
 * sweeps what is older: once a day, on one node of the cluster. The defaults follow what a brand
 * selling in China (PIPL: keep personal data no longer than its purpose needs, keep processing
 * records for three years) or in the EU (GDPR storage limitation) would expect; docs/privacy.md
 * gives the reasons.
 */
@ConfigurationProperties("hub.privacy.retention")
public class RetentionProperties {

    /** Whether the daily sweep runs at all. */
    private boolean enabled = true;

    /**
     * Timeline entries older than this keep their type, time, source, order figures and consent
     * statements, and lose message text, extra fields and the identifiers they carried. A year covers
     * a year-on-year comparison and an annual campaign cycle.
     */
    private Duration timelineDetail = Duration.ofDays(365);

    /**
     * Finished actions last changed longer ago than this lose their payload (the message sent) and
     * the recipient's value; status, channel, campaign and times stay for caps and reports. Six
     * months covers complaints about a message and carriers' dispute windows.
     */
    private Duration actionPayloads = Duration.ofDays(180);

    /**
     * Dead letters that first failed longer ago than this are removed from {@code hub.dlq} (each
     * removal audited like a discard). Operators replay or discard within days; after a month a parked
     * message is personal data kept for no purpose.
     */
    private Duration deadLetters = Duration.ofDays(30);

    /**
     * Raw records received longer ago than this and still waiting on {@code hub.raw} are removed. A
     * raw record waits seconds in a working hub; a week covers a pipeline stopped over a long holiday.
     */
    private Duration rawRecords = Duration.ofDays(7);

    /**
     * Audit rows (reveals of personal data, dead-letter replays and discards) older than this are
     * deleted. PIPL asks for records of processing to be kept at least three years.
     */
    private Duration audit = Duration.ofDays(1095);

    /** The time zone whose calendar days the sweep runs on (one sweep per day in this zone). */
    private ZoneId zone = ZoneId.of("Asia/Shanghai");

    /** The sweep of a day starts at the first check after this time of day (in {@link #zone}), a quiet hour. */
    private LocalTime startAt = LocalTime.of(3, 0);

    /** How often a node looks whether the day's sweep is due. */
    private Duration checkInterval = Duration.ofMinutes(10);

    /** How long a node may take to finish a day's sweep before another node takes it over. */
    private Duration lease = Duration.ofHours(2);

    /** Rows or messages changed per transaction: small batches keep locks and broker transactions short. */
    private int batchSize = 500;

    /** Each kind's period, by kind. */
    public Map<RetentionKind, Duration> periods() {
        Map<RetentionKind, Duration> periods = new EnumMap<>(RetentionKind.class);
        periods.put(RetentionKind.TIMELINE_DETAIL, timelineDetail);
        periods.put(RetentionKind.ACTION_PAYLOADS, actionPayloads);
        periods.put(RetentionKind.DEAD_LETTERS, deadLetters);
        periods.put(RetentionKind.RAW_RECORDS, rawRecords);
        periods.put(RetentionKind.AUDIT, audit);
        return periods;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getTimelineDetail() {
        return timelineDetail;
    }

    public void setTimelineDetail(Duration timelineDetail) {
        this.timelineDetail = positive("timeline-detail", timelineDetail);
    }

    public Duration getActionPayloads() {
        return actionPayloads;
    }

    public void setActionPayloads(Duration actionPayloads) {
        this.actionPayloads = positive("action-payloads", actionPayloads);
    }

    public Duration getDeadLetters() {
        return deadLetters;
    }

    public void setDeadLetters(Duration deadLetters) {
        this.deadLetters = positive("dead-letters", deadLetters);
    }

    public Duration getRawRecords() {
        return rawRecords;
    }

    public void setRawRecords(Duration rawRecords) {
        this.rawRecords = positive("raw-records", rawRecords);
    }

    public Duration getAudit() {
        return audit;
    }

    public void setAudit(Duration audit) {
        this.audit = positive("audit", audit);
    }

    public ZoneId getZone() {
        return zone;
    }

    public void setZone(ZoneId zone) {
        this.zone = zone;
    }

    public LocalTime getStartAt() {
        return startAt;
    }

    public void setStartAt(LocalTime startAt) {
        this.startAt = startAt;
    }

    public Duration getCheckInterval() {
        return checkInterval;
    }

    public void setCheckInterval(Duration checkInterval) {
        this.checkInterval = positive("check-interval", checkInterval);
    }

    public Duration getLease() {
        return lease;
    }

    public void setLease(Duration lease) {
        this.lease = positive("lease", lease);
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("hub.privacy.retention.batch-size must be at least 1, not " + batchSize);
        }
        this.batchSize = batchSize;
    }

    private static Duration positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("hub.privacy.retention." + name + " must be a positive duration (e.g. P30D), not " + value);
        }
        return value;
    }
}
