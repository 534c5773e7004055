package io.omnihub.crm.automation;

import io.omnihub.crm.Transactions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/** JDBC plumbing of the automation engine: transactions with retry, ids, times, alias resolution. */
final class Sql {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_ATTEMPTS = 8;

    private Sql() {
    }

    /** Runs {@code work} in one transaction, again after a serialization failure, deadlock or lock timeout. */
    static <T> T transaction(DataSource ds, Transactions.Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Transactions.once(ds, work);
            } catch (SQLException e) {
                String state = state(e);
                boolean race = state.equals("40001") || state.equals("40P01") || state.equals("55P03");
                if (!race || attempt >= MAX_ATTEMPTS) {
                    throw new io.omnihub.crm.CrmException("automation: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(1, Math.min(200, 5L << attempt)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new io.omnihub.crm.CrmException("interrupted", ie);
                }
            }
        }
    }

    static String state(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return "";
    }

    static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** A time-ordered UUID (version 7 layout): ids sort by creation, which keeps indexes compact. */
    static UUID v7(Instant now) {
        long ms = now.toEpochMilli();
        long msb = (ms << 16) | (0x7L << 12) | RANDOM.nextInt(1 << 12);
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** The surviving profile of each id (merged profiles point to the one they were merged into). */
    static Map<UUID, UUID> surviving(Connection c, Collection<UUID> ids) throws SQLException {
        Map<UUID, UUID> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                with recursive chain(start, id, depth) as (
                    select s, s, 0 from unnest(?::uuid[]) s
                    union all
                    select chain.start, a.surviving_id, chain.depth + 1
                      from crm_customer_alias a join chain on a.merged_id = chain.id
                     where chain.depth < 100
                )
                select distinct on (start) start, id from chain order by start, depth desc
                """)) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
                }
            }
        }
        return out;
    }

    /** Locks a profile's row, as the CRM core does while applying its events. */
    static boolean lockCustomer(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from crm_customer where id = ? for update")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Masks an identity value for API answers and reasons: keeps the first 3 and last 2 characters. */
    static String mask(String value) {
        if (value == null) {
            return null;
        }
        return value.length() <= 5 ? "*".repeat(value.length())
                : value.substring(0, 3) + "*".repeat(value.length() - 5) + value.substring(value.length() - 2);
    }
}
