package io.omnihub.crm.automation;

import io.omnihub.crm.CrmException;
import io.omnihub.crm.jdbc.Transactions;
import io.omnihub.crm.jdbc.SqlValues;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Definitions written over the API, kept in PostgreSQL ({@code crm_automation_definition}) so every
 * hub node on the database uses them. Files in the definitions folder are per node, like its
 * configuration; these are shared.
 */
public final class DefinitionStore {

    private final Transactions tx;
    private final Clock clock;

    public DefinitionStore(DataSource ds, Clock clock) {
        this.tx = new Transactions(ds, Transactions.Retry.lockRaces(Automation.MAX_ATTEMPTS), CrmException::new);
        this.clock = clock;
    }

    /**
     * One stored definition.
     *
     * @param kind      rule, segment or journey
     * @param id        its id
     * @param source    the YAML (or JSON) as written
     * @param updatedAt when it was last written
     * @param updatedBy who wrote it
     */
    public record Stored(DefinitionParser.Kind kind, String id, String source, Instant updatedAt, String updatedBy) {
    }

    public List<Stored> all() {
        return tx.retrying(c -> {
            List<Stored> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select kind, id, source, updated_at, updated_by from crm_automation_definition order by kind, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stored(DefinitionParser.Kind.of(rs.getString(1)), rs.getString(2), rs.getString(3),
                            SqlValues.instant(rs, 4), rs.getString(5)));
                }
            }
            return out;
        });
    }

    /** A digest of what is stored; changes whenever anything is written or deleted. */
    public String fingerprint() {
        return tx.retrying(c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*), coalesce(md5(string_agg(kind || '/' || id || '@' "
                    + "|| updated_at::text, ',' order by kind, id)), '') from crm_automation_definition");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) + ":" + rs.getString(2);
            }
        });
    }

    /** Writes (or replaces) a definition; validate it first. */
    public void put(DefinitionParser.Kind kind, String id, String source, String by) {
        tx.retrying(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into crm_automation_definition (kind, id, source, updated_at, updated_by) values (?, ?, ?, ?, ?)
                    on conflict (kind, id) do update set source = excluded.source, updated_at = excluded.updated_at,
                                                         updated_by = excluded.updated_by
                    """)) {
                ps.setString(1, kind.singular());
                ps.setString(2, id);
                ps.setString(3, CelValues.clean(source));
                ps.setObject(4, SqlValues.utc(clock.instant()));
                ps.setString(5, by);
                return ps.executeUpdate();
            }
        });
    }

    /** Deletes a definition; false when there was none. Deleting a segment ends all its memberships. */
    public boolean delete(DefinitionParser.Kind kind, String id) {
        return tx.retrying(c -> {
            boolean deleted;
            try (PreparedStatement ps = c.prepareStatement("delete from crm_automation_definition where kind = ? and id = ?")) {
                ps.setString(1, kind.singular());
                ps.setString(2, id);
                deleted = ps.executeUpdate() == 1;
            }
            if (deleted && kind == DefinitionParser.Kind.SEGMENT) {
                // the one place memberships of a segment end wholesale: evaluating events never does
                try (PreparedStatement ps = c.prepareStatement("delete from crm_segment_member where segment_id = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
                // defined again, it is backfilled again, so its journeys do not start for everyone who matches
                try (PreparedStatement ps = c.prepareStatement(
                        "update crm_segment_backfill set version = 'deleted', backfilled_at = ? where segment_id = ?")) {
                    ps.setObject(1, SqlValues.utc(clock.instant()));
                    ps.setString(2, id);
                    ps.executeUpdate();
                }
            }
            return deleted;
        });
    }
}
