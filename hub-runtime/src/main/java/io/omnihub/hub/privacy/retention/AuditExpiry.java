package io.omnihub.hub.privacy.retention;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Deletes audit rows older than the audit retention from each audit table that has an {@code at}
 * column: reveals of personal data ({@code hub_privacy_audit}) and dead-letter replays and discards
 * ({@code hub_dead_letter_audit}). A table this database does not have is skipped. Merge history
 * ({@code crm_merge_audit}) is not here: it is what undoes a merge, and it goes with the customer.
 */
public final class AuditExpiry {

    /** The audit tables, each with a {@code timestamptz at} column. */
    static final List<String> TABLES = List.of("hub_privacy_audit", "hub_dead_letter_audit");

    private final JdbcTemplate jdbc;

    public AuditExpiry(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Deletes rows older than {@code before} in batches of {@code batchSize}; returns how many. */
    public long expire(Instant before, int batchSize) {
        long total = 0;
        for (String table : TABLES) {
            if (jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, table) != Boolean.TRUE) {
                continue;
            }
            int deleted;
            do {
                deleted = jdbc.update("DELETE FROM " + table + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table
                        + " WHERE at < ? LIMIT ?))", Timestamp.from(before), batchSize);
                total += deleted;
            } while (deleted == batchSize);
        }
        return total;
    }
}
