package io.omnihub.crm.automation;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * What holds back marketing messages (sends with {@code marketing: true}, the default). Guards are
 * checked when the message is planned, in the transaction that plans it, so two events or timers of
 * one customer can never both slip under a cap.
 *
 * @param consent       which marketing consent a customer needs
 * @param perChannel    at most this many marketing messages per customer per channel (connector) per window
 * @param allChannels   at most this many marketing messages per customer across all channels per window
 * @param quietStart    start of quiet hours in the customer's time zone, or null for none
 * @param quietEnd      end of quiet hours; a message planned in between waits until then
 * @param defaultZone   the time zone of customers whose profile states none
 * @param zoneAttribute the profile attribute holding a customer's IANA time zone, e.g. {@code timezone}
 */
public record GuardSettings(Consent consent, Cap perChannel, Cap allChannels, LocalTime quietStart, LocalTime quietEnd,
                            ZoneId defaultZone, String zoneAttribute) {

    /** The marketing consent a customer needs. */
    public enum Consent {
        /** Only customers who stated marketing consent (opt-in, as PIPL expects). */
        EXPLICIT,
        /** Everybody except customers who declined. */
        UNLESS_DECLINED
    }

    /**
     * A frequency cap.
     *
     * @param max at most this many messages; 0 means no cap
     * @param per within this window
     */
    public record Cap(int max, Duration per) {
        public static final Cap NONE = new Cap(0, Duration.ofDays(1));
    }

    /** Opt-in consent; 2 messages per channel per day, 5 across channels per week; quiet 21:00–08:00 Asia/Shanghai. */
    public static GuardSettings defaults() {
        return new GuardSettings(Consent.EXPLICIT, new Cap(2, Duration.ofDays(1)), new Cap(5, Duration.ofDays(7)),
                LocalTime.of(21, 0), LocalTime.of(8, 0), ZoneId.of("Asia/Shanghai"), "timezone");
    }

    /** When a message planned at {@code now} may go out in {@code zone}: now, or the end of quiet hours. */
    public Instant notBefore(Instant now, ZoneId zone) {
        if (quietStart == null || quietEnd == null || quietStart.equals(quietEnd)) {
            return now;
        }
        ZonedDateTime local = now.atZone(zone);
        LocalTime t = local.toLocalTime();
        boolean quiet = quietStart.isBefore(quietEnd)
                ? !t.isBefore(quietStart) && t.isBefore(quietEnd)
                : !t.isBefore(quietStart) || t.isBefore(quietEnd);
        if (!quiet) {
            return now;
        }
        ZonedDateTime end = local.with(quietEnd);
        if (!end.isAfter(local)) {
            end = end.plusDays(1);
        }
        return end.toInstant();
    }
}
