package io.omnihub.hub.privacy.retention;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** The last sweep of each kind ({@code hub_retention_run}), shared by every node. */
public final class RetentionRuns {

    /**
     * One kind's last sweep.
     *
     * @param period the day it swept for
     * @param node   the node that swept
     * @param at     when it finished
     * @param cutoff what was older than this was swept
     * @param swept  how many rows or messages it changed or removed
     * @param error  why it stopped, when it failed (no personal data)
     */
    public record Run(String period, String node, Instant at, Instant cutoff, long swept, String error) {
    }

    private final JdbcTemplate jdbc;

    public RetentionRuns(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    void record(RetentionKind kind, Run run) {
        jdbc.update("""
                INSERT INTO hub_retention_run (kind, period, node, finished_at, cutoff, swept, error) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (kind) DO UPDATE SET period = excluded.period, node = excluded.node, finished_at = excluded.finished_at,
                    cutoff = excluded.cutoff, swept = excluded.swept, error = excluded.error""",
                kind.id(), run.period(), run.node(), Timestamp.from(run.at()), Timestamp.from(run.cutoff()), run.swept(), run.error());
    }

    /** The last sweep of each kind that was ever swept. */
    public Map<RetentionKind, Run> last() {
        Map<RetentionKind, Run> runs = new EnumMap<>(RetentionKind.class);
        jdbc.query("SELECT kind, period, node, finished_at, cutoff, swept, error FROM hub_retention_run", row -> {
            for (RetentionKind kind : RetentionKind.values()) {
                if (kind.id().equals(row.getString(1))) {
                    runs.put(kind, new Run(row.getString(2), row.getString(3), row.getTimestamp(4).toInstant(),
                            row.getTimestamp(5).toInstant(), row.getLong(6), row.getString(7)));
                }
            }
        });
        return runs;
    }
}
