package io.omnihub.crm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * What the core forgets once its retention period has passed, in batches of short transactions so a
 * sweep never holds many rows locked or writes one giant delete:
 * <ul>
 *   <li>{@linkplain #dropTimelineDetail timeline detail}: an entry older than the limit keeps its
 *       event id, type, time and source, its order figures (id, status, currency, total, line
 *       count), its consent statements and the kind of its message, so counts, KPIs, journeys'
 *       history and consent evidence still hold; it loses the message text, the connector's extra
 *       fields, the identifiers that were left unlinked and the identifiers the event carried. Its
 *       summary is marked {@code "detailDropped": true}.</li>
 *   <li>{@linkplain #clearActionPayloads action payloads}: a finished action (sent, failed,
 *       suppressed, done) last changed before the limit keeps its kind, channel, status, campaign,
 *       reason, attempts and times (so caps and reports still count it) and loses its payload and the
 *       recipient's value (its type stays).</li>
 * </ul>
 */
public final class DetailPruner {

    /** Drops the detail of one batch in one table; each partition's name takes {@code crm_timeline}'s place. */
    private static final String DROP_DETAIL = """
                update crm_timeline t
                   set summary = jsonb_strip_nulls(jsonb_build_object(
                           'order', t.summary -> 'order',
                           'consent', t.summary -> 'consent',
                           'message', case when t.summary -> 'message' is not null
                                           then jsonb_build_object('kind', t.summary -> 'message' -> 'kind') end,
                           'detailDropped', true)),
                       identities = '[]'::jsonb
                 where t.id in (select id from crm_timeline
                                 where time < ? and (summary ->> 'detailDropped') is null
                                 order by time limit ? for update skip locked)""";

    private final DataSource ds;

    public DetailPruner(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /**
     * Drops the detail of timeline entries whose time is before {@code before}; returns how many
     * entries lost it. One month's partition after the other: over the partitioned table, PostgreSQL
     * would join each batch's ids by reading every partition whole.
     */
    public long dropTimelineDetail(Instant before, int batchSize) {
        long total = 0;
        for (String partition : timelinePartitions()) {
            total += inBatches("drop timeline detail", before, batchSize, DROP_DETAIL.replace("crm_timeline", partition));
        }
        return total;
    }

    private List<String> timelinePartitions() {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select format('%s', relid::regclass) from pg_partition_tree('crm_timeline') where isleaf order by 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new CrmException("could not list the timeline's partitions: SQLSTATE " + e.getSQLState(), e);
        }
        return out;
    }


    /** Clears payload and recipient value of finished actions last changed before {@code before}; returns how many. */
    public long clearActionPayloads(Instant before, int batchSize) {
        return inBatches("clear action payloads", before, batchSize, """
                update crm_action a
                   set payload = '{}'::jsonb, recipient_value = null
                 where a.id in (select id from crm_action
                                 where updated_at < ?
                                   and status in ('sent', 'failed', 'suppressed', 'done')
                                   and (recipient_value is not null or payload <> '{}'::jsonb)
                                 order by updated_at limit ? for update skip locked)""");
    }

    private long inBatches(String what, Instant before, int batchSize, String sql) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        long total = 0;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(true);
            ps.setTimestamp(1, Timestamp.from(before));
            ps.setInt(2, batchSize);
            int changed;
            do {
                changed = ps.executeUpdate();
                total += changed;
            } while (changed == batchSize);
        } catch (SQLException e) {
            // The SQL state only: PostgreSQL's details quote the row at fault.
            throw new CrmException("could not " + what + " (" + total + " done): SQLSTATE " + e.getSQLState(), e);
        }
        return total;
    }
}
