package io.omnihub.hub.privacy;

import io.omnihub.routes.privacy.PersonalDataMasker;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The privacy audit ({@code hub_privacy_audit}), shared by every hub node: each reveal and export,
 * written before the data is handed out, so a look that cannot be audited does not happen.
 */
public class PrivacyAudit {

    /** Longest reason kept; a longer one is cut. */
    public static final int MAX_REASON = 500;

    /**
     * Which entries to list; null fields do not filter.
     *
     * @param customerId the customer's profile id
     * @param actor      who
     * @param action     {@code reveal} or {@code export}
     * @param from       at or after
     * @param to         before
     */
    public record Filter(String customerId, String actor, String action, Instant from, Instant to) {
    }

    /**
     * A page of entries, newest first.
     *
     * @param total  entries matching the filter
     * @param offset entries skipped
     * @param items  the entries
     */
    public record Page(long total, int offset, int limit, List<PrivacyAuditEntry> items) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public PrivacyAudit(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /** Records a look; the reason is masked like a log line and cut at {@link #MAX_REASON} characters. */
    public PrivacyAuditEntry record(String actor, String action, String customerId, String reason, String clientAddress) {
        Instant now = clock.instant();
        String kept = reason == null ? null : PersonalDataMasker.mask(reason.strip());
        if (kept != null && kept.length() > MAX_REASON) {
            kept = kept.substring(0, MAX_REASON);
        }
        Long id = jdbc.queryForObject("""
                INSERT INTO hub_privacy_audit (at, actor, action, customer_id, reason, client_address)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING id
                """, Long.class, Timestamp.from(now), actor, action, customerId, kept, clientAddress);
        return new PrivacyAuditEntry(id, now, actor, action, customerId, kept, clientAddress);
    }

    /** Entries matching {@code filter}, newest first. */
    public Page list(Filter filter, int offset, int limit) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (filter.customerId() != null) {
            where.append(" AND customer_id = ?");
            args.add(filter.customerId());
        }
        if (filter.actor() != null) {
            where.append(" AND actor = ?");
            args.add(filter.actor());
        }
        if (filter.action() != null) {
            where.append(" AND action = ?");
            args.add(filter.action());
        }
        if (filter.from() != null) {
            where.append(" AND at >= ?");
            args.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            where.append(" AND at < ?");
            args.add(Timestamp.from(filter.to()));
        }
        Long total = jdbc.queryForObject("SELECT count(*) FROM hub_privacy_audit" + where, Long.class, args.toArray());
        List<Object> paged = new ArrayList<>(args);
        paged.add(limit);
        paged.add(offset);
        List<PrivacyAuditEntry> items = jdbc.query("SELECT * FROM hub_privacy_audit" + where + " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
                (row, n) -> entry(row), paged.toArray());
        return new Page(total == null ? 0 : total, offset, limit, items);
    }

    private static PrivacyAuditEntry entry(ResultSet row) throws SQLException {
        return new PrivacyAuditEntry(row.getLong("id"), row.getTimestamp("at").toInstant(), row.getString("actor"), row.getString("action"),
                row.getString("customer_id"), row.getString("reason"), row.getString("client_address"));
    }
}
