package io.omnihub.crm;

import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Merge aliases: a merged profile points to the one it was merged into ({@code crm_customer_alias});
 * chains are followed, since a survivor may be merged later.
 */
public final class ProfileAliases {

    private ProfileAliases() {
    }

    /** The surviving profile of {@code id} (itself when it was never merged); empty when the id is unknown. */
    public static Optional<UUID> resolve(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                with recursive chain(id, depth) as (
                    select ?::uuid, 0
                    union all
                    select a.surviving_id, chain.depth + 1 from crm_customer_alias a join chain on a.merged_id = chain.id
                     where chain.depth < 100
                )
                select c.id from chain join crm_customer c on c.id = chain.id order by chain.depth desc limit 1
                """)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    /** The surviving profile of each of {@code ids} (ids never merged map to themselves). */
    public static Map<UUID, UUID> surviving(Connection c, Collection<UUID> ids) throws SQLException {
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
            ps.setArray(1, SqlValues.uuids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
                }
            }
        }
        return out;
    }

    /**
     * {@code id} and every profile merged into it (directly or through other merges): what was sent
     * to or recorded for any of them belongs to this customer. An unmerge removes the alias, so the
     * profiles count apart again.
     */
    public static List<UUID> withMerged(Connection c, UUID id) throws SQLException {
        List<UUID> out = new ArrayList<>(mergedInto(c, id));
        out.add(id);
        return out;
    }

    /** The ids merged into {@code id}, directly or through earlier merges, nearest first. */
    public static List<UUID> mergedInto(Connection c, UUID id) throws SQLException {
        List<UUID> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                with recursive tree(id, depth) as (
                    select ?::uuid, 0
                    union all
                    select a.merged_id, tree.depth + 1 from crm_customer_alias a join tree on a.surviving_id = tree.id
                     where tree.depth < 100
                )
                select id from tree where depth > 0 order by depth, id
                """)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }
}
