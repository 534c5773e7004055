package io.omnihub.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The timeline is partitioned by the month the core records each entry in: the core makes the
 * month's partition and the next before it applies a batch, and a profile's timeline, its merges and
 * its erasure see its entries of every month as one.
 */
class TimelinePartitionsTest extends PgTestBase {

    /** A month well after this database was migrated, so its entries are not among the earlier ones. */
    private static final YearMonth AHEAD = YearMonth.now(ZoneOffset.UTC).plusYears(1);

    @Test
    void anEntryGoesIntoThePartitionOfTheMonthItIsRecordedInAndTheNextMonthIsReadyBeforeItComes() throws Exception {
        clock.set(mid(AHEAD));

        apply(msg("p1", "wechat", t(0), "hello", openid("o-p1")));

        assertThat(partitionOf("p1")).isEqualTo(TimelinePartitions.name(AHEAD));
        assertThat(exists(TimelinePartitions.name(AHEAD.plusMonths(1)))).isTrue();
        assertThat(exists(TimelinePartitions.name(AHEAD.plusMonths(2)))).isFalse();
    }

    @Test
    void entriesRecordedBeforeThePartitioningStayWithTheEarlierOnes() throws Exception {
        apply(msg("p2", "wechat", t(0), "hello", openid("o-p2"))); // the base's clock: 2025

        assertThat(partitionOf("p2")).isEqualTo("crm_timeline_earlier");
    }

    @Test
    void aProfilesTimelineMergesAndErasureSpanEveryMonth() throws Exception {
        apply(msg("a-2025", "wechat", t(0), "first", openid("o-a")));
        clock.set(mid(AHEAD));
        apply(msg("a-ahead", "wechat", t(10), "second", openid("o-a")));
        clock.set(mid(AHEAD.plusMonths(3)));
        apply(msg("b-later", "wechat", t(20), "third", unionid("u-b")));
        assertThat(partitionOf("a-2025")).isEqualTo("crm_timeline_earlier");
        assertThat(partitionOf("a-ahead")).isEqualTo(TimelinePartitions.name(AHEAD));
        assertThat(partitionOf("b-later")).isEqualTo(TimelinePartitions.name(AHEAD.plusMonths(3)));

        // One event carries both ids: the two profiles merge, with their entries of three months.
        apply(msg("ab", "wechat", t(30), "both", openid("o-a"), unionid("u-b")));

        CustomerView merged = view(openid("o-a"));
        assertThat(merged.id()).isEqualTo(view(unionid("u-b")).id());
        assertThat(core.timeline(merged.id(), 0, 10)).extracting(TimelineEntry::eventId)
                .containsExactly("ab", "b-later", "a-ahead", "a-2025");
        assertThat(core.timeline(merged.id(), 1, 2)).extracting(TimelineEntry::eventId).containsExactly("b-later", "a-ahead");

        core.erase(merged.id(), "test", "the customer asked");
        assertThat(count("select count(*) from crm_timeline")).isZero();
    }

    @Test
    @Timeout(60) // without the bounded lock wait, the apply would wait for the report on this very thread
    void aPartitionThatWaitsTooLongForTheTimelinesLockIsMadeLaterAndTheEntriesMeanwhileAreKept() throws Exception {
        YearMonth month = AHEAD.plusMonths(6);
        clock.set(mid(month));
        try (Connection report = ds.getConnection(); Statement reading = report.createStatement()) {
            // A long read of the timeline holds a lock that making a partition has to wait for.
            report.setAutoCommit(false);
            reading.executeQuery("select count(*) from crm_timeline").close();

            apply(msg("during-report", "wechat", t(0), "hello", openid("o-r")));

            assertThat(exists(TimelinePartitions.name(month))).isFalse();
            assertThat(partitionOf("during-report")).isEqualTo("crm_timeline_default");
            report.commit();
        }
        assertThat(core.timeline(view(openid("o-r")).id(), 0, 10)).extracting(TimelineEntry::eventId).containsExactly("during-report");

        clock.advance(TimelinePartitions.RETRY_AFTER);
        apply(msg("after-report", "wechat", t(5), "again", openid("o-r")));

        // The month's entries stay in the default partition; the next month gets its own.
        assertThat(exists(TimelinePartitions.name(month.plusMonths(1)))).isTrue();
        assertThat(partitionOf("after-report")).isEqualTo("crm_timeline_default");
        assertThat(core.timeline(view(openid("o-r")).id(), 0, 10)).extracting(TimelineEntry::eventId)
                .containsExactly("after-report", "during-report");
    }

    private static Instant mid(YearMonth month) {
        return month.atDay(15).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static String partitionOf(String eventId) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select tableoid::regclass::text from crm_timeline where event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a timeline entry for " + eventId).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static boolean exists(String table) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
