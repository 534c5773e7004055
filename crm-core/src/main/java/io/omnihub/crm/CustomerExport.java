package io.omnihub.crm;

import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Transactions;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Everything the core holds about one person, for their right of access: the surviving profile and
 * every profile merged into it, with each row of every table that is about them, unmasked, read in
 * one REPEATABLE READ transaction so the document is one consistent state.
 *
 * <p>Rows are given as the database keeps them (column names in camelCase, JSON columns as JSON),
 * so nothing held is left out by a view that summarises.
 */
public final class CustomerExport {

    /**
     * A section of the document: its name, the table its rows come from, and the query for a person's
     * rows, given their profile ids as {@code ?::uuid[]}.
     */
    private record Section(String name, String table, String sql) {
        Section {
            if (!sql.contains(" from " + table + " ")) {
                throw new IllegalArgumentException("section " + name + " does not read " + table);
            }
        }
    }

    private static final List<Section> SECTIONS = List.of(
            new Section("profiles", "crm_customer", "select * from crm_customer where id = any(?) order by created_at, id"),
            new Section("identities", "crm_identity",
                    "select * from crm_identity where customer_id = any(?) order by type, namespace, value"),
            new Section("unlinkedIdentities", "crm_identity_unlinked",
                    "select * from crm_identity_unlinked where customer_id = any(?) order by type, namespace, value"),
            new Section("timeline", "crm_timeline", "select * from crm_timeline where customer_id = any(?) order by time, id"),
            new Section("orders", "crm_order",
                    "select * from crm_order where customer_id = any(?) order by ordered_at, source, order_id"),
            new Section("orderLines", "crm_order_line",
                    "select l.* from crm_order_line l join crm_order o on o.source = l.source and o.order_id = l.order_id "
                    + "where o.customer_id = any(?) order by o.ordered_at, l.source, l.order_id, l.line_no"),
            new Section("consentHistory", "crm_consent_statement",
                    "select * from crm_consent_statement where customer_id = any(?) order by at, recorded_at"),
            new Section("traits", "crm_trait_count", "select * from crm_trait_count where customer_id = any(?) order by trait, bucket"),
            new Section("tags", "crm_tag", "select * from crm_tag where customer_id = any(?) order by tag"),
            new Section("scores", "crm_score", "select * from crm_score where customer_id = any(?) order by name"),
            new Section("segments", "crm_segment_member", "select * from crm_segment_member where customer_id = any(?) order by segment_id"),
            new Section("enrollments", "crm_enrollment", "select * from crm_enrollment where customer_id = any(?) order by started_at, id"),
            new Section("actions", "crm_action", "select * from crm_action where customer_id = any(?) order by created_at, id"),
            new Section("tasks", "crm_task", "select * from crm_task where customer_id = any(?) order by created_at, id"),
            new Section("merges", "crm_merge_audit",
                    "select * from crm_merge_audit where surviving_id = any(?) or merged_id = any(?) order by merged_at, id"));

    /** The tables the document reads a person's rows from. */
    static Set<String> tables() {
        return SECTIONS.stream().map(Section::table).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The export of one person.
     *
     * @param customerId the surviving profile's id
     * @param takenAt    when it was read
     * @param profileIds the surviving profile and every profile merged into it
     * @param sections   {@code profiles} (attributes and consent statements with their evidence),
     *                   {@code identities} (with their evidence), {@code unlinkedIdentities},
     *                   {@code timeline} (every entry), {@code orders} with their
     *                   {@code orderLines}, {@code consentHistory} (every statement), {@code traits}
     *                   (windowed traits' counters), {@code tags}, {@code scores},
     *                   {@code segments}, {@code enrollments}, {@code actions} (payloads and
     *                   recipients), {@code tasks} and {@code merges} (with the merged profile's
     *                   snapshot): each a list of rows
     */
    public record Document(String customerId, java.time.Instant takenAt, List<String> profileIds,
                           Map<String, List<Map<String, Object>>> sections) {
    }

    private final Transactions tx;
    private final Clock clock;

    public CustomerExport(DataSource ds, Clock clock) {
        this.tx = new Transactions(Objects.requireNonNull(ds, "ds"), Transactions.Retry.lockRaces(1), CrmException::new);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The person whose profile (or a profile merged into it) has {@code customerId}; empty when there is none. */
    public Optional<Document> of(String customerId) {
        Optional<UUID> requested = Uuids.parse(customerId);
        if (requested.isEmpty()) {
            return Optional.empty();
        }
        return tx.read(c -> {
            Optional<UUID> surviving = ProfileAliases.resolve(c, requested.get());
            if (surviving.isEmpty()) {
                return Optional.<Document>empty();
            }
            List<UUID> ids = ProfileAliases.withMerged(c, surviving.get());
            Map<String, List<Map<String, Object>>> sections = new LinkedHashMap<>();
            for (Section section : SECTIONS) {
                sections.put(section.name(), rows(c, section.sql(), ids));
            }
            return Optional.of(new Document(surviving.get().toString(), clock.instant(),
                    ids.stream().map(UUID::toString).toList(), java.util.Collections.unmodifiableMap(sections)));
        });
    }

    private static List<Map<String, Object>> rows(Connection c, String sql, List<UUID> ids) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Array array = SqlValues.uuids(c, ids);
            for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                ps.setArray(i, array);
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int col = 1; col <= meta.getColumnCount(); col++) {
                        row.put(camelCase(meta.getColumnName(col)), value(rs, col, meta.getColumnTypeName(col)));
                    }
                    out.add(java.util.Collections.unmodifiableMap(row));
                }
            }
        }
        return List.copyOf(out);
    }

    private static Object value(ResultSet rs, int col, String type) throws SQLException {
        return switch (type) {
            case "timestamptz", "timestamp" -> {
                OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
                yield t == null ? null : t.toInstant();
            }
            case "json", "jsonb" -> {
                String json = rs.getString(col);
                yield json == null ? null : Json.toJava(Json.MAPPER.readTree(json));
            }
            case "uuid" -> {
                Object id = rs.getObject(col);
                yield id == null ? null : id.toString();
            }
            default -> {
                Object v = rs.getObject(col);
                yield v instanceof Array a ? java.util.Arrays.asList((Object[]) a.getArray()) : v;
            }
        };
    }

    private static String camelCase(String column) {
        StringBuilder out = new StringBuilder(column.length());
        boolean upper = false;
        for (char ch : column.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }
}
