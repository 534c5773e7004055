package io.omnihub.crm;

import io.omnihub.crm.jdbc.NamedSql;
import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges a profile into another and undoes a merge. A merge moves what the merged profile owns to
 * the survivor and writes an audit row with a snapshot of what moved; undoing it moves exactly that
 * back and blocks the pair from being merged again by events. See crm-core's README for the
 * strategies per kind of data.
 */
final class ProfileMerger {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileMerger.class);

    private static final NamedSql MERGE = NamedSql.of("""
            with ids as (
                update crm_identity set customer_id = :t where customer_id = :s returning type, namespace, value
            ), unl as (
                update crm_identity_unlinked u set customer_id = :t
                 where u.customer_id = :s
                   and not exists (select 1 from crm_identity_unlinked x where x.customer_id = :t
                                   and x.type = u.type and x.namespace = u.namespace and x.value = u.value)
                returning u.type, u.namespace, u.value
            ), tl as (
                update crm_timeline set customer_id = :t where customer_id = :s returning id
            ), ord as (
                update crm_order set customer_id = :t where customer_id = :s returning source, order_id
            ), cs as (
                update crm_consent_statement set customer_id = :t where customer_id = :s returning id
            ), tg as (
                insert into crm_tag (customer_id, tag, added_at, merge_audit_id)
                select :t, tag, added_at, :audit from crm_tag where customer_id = :s
                on conflict do nothing returning tag
            ), sc as (
                insert into crm_score (customer_id, name, value)
                select :t, name, value from crm_score where customer_id = :s
                on conflict (customer_id, name) do update set value = crm_score.value + excluded.value
                returning name
            ), trc as (
                insert into crm_trait_count (customer_id, trait, bucket, value)
                select :t, trait, bucket, value from crm_trait_count where customer_id = :s
                on conflict (customer_id, trait, bucket) do update set value = crm_trait_count.value + excluded.value
            ), trd as (
                delete from crm_trait_count where customer_id = :s
            ), b1 as (
                insert into crm_merge_block (customer_id, other_id, created_at, merge_audit_id)
                select :t, other_id, :now, merge_audit_id from crm_merge_block where customer_id = :s and other_id <> :t
                on conflict do nothing
            ), b2 as (
                insert into crm_merge_block (customer_id, other_id, created_at, merge_audit_id)
                select customer_id, :t, :now, merge_audit_id from crm_merge_block where other_id = :s and customer_id <> :t
                on conflict do nothing
            ), st as (
                update crm_customer set status = 'merged', updated_at = :now where id = :s
            ), al as (
                insert into crm_customer_alias (merged_id, surviving_id, merge_audit_id, created_at) values (:s, :t, :audit, :now)
            )
            insert into crm_merge_audit (id, surviving_id, merged_id, evidence_event_id, reason, merged_at, kind, joined, snapshot)
            select :audit, :t, :s, :evidence, :reason, :now, :kind, :joined::jsonb, jsonb_build_object(
                'identities', coalesce((select jsonb_agg(jsonb_build_array(type, namespace, value)) from ids), '[]'::jsonb),
                'unlinked', coalesce((select jsonb_agg(jsonb_build_array(type, namespace, value)) from unl), '[]'::jsonb),
                'timeline', coalesce((select jsonb_agg(id) from tl), '[]'::jsonb),
                'orders', coalesce((select jsonb_agg(jsonb_build_array(source, order_id)) from ord), '[]'::jsonb),
                'consents', coalesce((select jsonb_agg(id) from cs), '[]'::jsonb),
                'tags', coalesce((select jsonb_agg(tag) from tg), '[]'::jsonb),
                'scores', coalesce((select jsonb_agg(name) from sc), '[]'::jsonb),
                'attributesBefore', :attrsBefore::jsonb,
                'consentBefore', :consentBefore::jsonb)
            """);

    /**
     * Merges {@code sId} into {@code tId}, both locked and active in {@code graph}: moves what
     * {@code sId} owns, audits it, and updates {@code graph}. The caller has written what it buffered
     * for either profile. Returns the audit id.
     */
    UUID merge(Connection c, IdentityGraph graph, UUID tId, UUID sId, String evidenceEventId, String reason,
               List<JoinedIdentifier> joined, Instant now) throws SQLException {
        ProfileState t = graph.profile(tId);
        ProfileState s = graph.profile(sId);
        ObjectNode attrsBefore = StatementMaps.combine(t.attrs, s.attrs);
        ObjectNode consentBefore = StatementMaps.combine(t.consent, s.consent);
        t.dirty = true;
        UUID audit = Uuids.v7(now);
        Map<String, Object> params = new HashMap<>();
        params.put("t", tId);
        params.put("s", sId);
        params.put("audit", audit);
        params.put("now", SqlValues.utc(now));
        params.put("evidence", evidenceEventId);
        params.put("reason", reason == null ? "manual" : reason);
        params.put("attrsBefore", Json.write(attrsBefore));
        params.put("consentBefore", Json.write(consentBefore));
        params.put("kind", evidenceEventId == null ? "manual" : "event");
        params.put("joined", Json.write(joined));
        try (PreparedStatement ps = MERGE.prepare(c, params)) {
            ps.executeUpdate();
        }
        for (IdKey k : List.copyOf(s.ids)) {
            graph.own(k, tId);
        }
        s.ids.clear();
        s.active = false;
        for (UUID x : s.blockedWith) {
            if (!x.equals(tId)) {
                t.blockedWith.add(x);
                ProfileState cx = graph.profile(x);
                if (cx != null) {
                    cx.blockedWith.add(tId);
                }
            }
        }
        LOG.info("merged customer {} into {} (audit {}, evidence {})", sId, tId, audit, evidenceEventId);
        return audit;
    }

    private static final NamedSql UNMERGE = NamedSql.of("""
            with ids as (
                update crm_identity i set customer_id = :s
                  from jsonb_array_elements(:ids::jsonb) e
                 where i.customer_id = :c and i.type = e->>0 and i.namespace = e->>1 and i.value = e->>2
                returning 1
            ), unl as (
                update crm_identity_unlinked u set customer_id = :s
                  from jsonb_array_elements(:unl::jsonb) e
                 where u.customer_id = :c and u.type = e->>0 and u.namespace = e->>1 and u.value = e->>2
                   and not exists (select 1 from crm_identity_unlinked x where x.customer_id = :s
                                   and x.type = u.type and x.namespace = u.namespace and x.value = u.value)
                returning 1
            ), tl as (
                update crm_timeline set customer_id = :s
                 where customer_id = :c and id in (select (jsonb_array_elements_text(:tl::jsonb))::bigint)
                returning 1
            ), ord as (
                update crm_order o set customer_id = :s
                  from jsonb_array_elements(:orders::jsonb) e
                 where o.customer_id = :c and o.source = e->>0 and o.order_id = e->>1
                returning 1
            ), cs as (
                update crm_consent_statement set customer_id = :s
                 where customer_id = :c and id in (select (jsonb_array_elements_text(:cs::jsonb))::bigint)
                returning 1
            ), tg as (
                delete from crm_tag where customer_id = :c and merge_audit_id = :audit
            ), sc as (
                update crm_score cs set value = cs.value - ss.value from crm_score ss
                 where ss.customer_id = :s and cs.customer_id = :c and cs.name = ss.name
            ), tr as (
                -- the windowed traits' counters cannot be split by event: both profiles are recounted from their timelines
                insert into crm_trait_recount (customer_id, marked_at) values (:s, :now), (:c, :now) on conflict do nothing
            ), st as (
                update crm_customer set status = 'active', updated_at = :now where id = :s
            ), al as (
                delete from crm_customer_alias where merged_id = :s
            ), bl as (
                insert into crm_merge_block (customer_id, other_id, created_at, merge_audit_id)
                select x, y, :now, :audit from (values (:s, :c), (:c, :s), (:s, :t), (:t, :s)) p(x, y) where x <> y
                on conflict do nothing
            )
            update crm_merge_audit set undone_at = :now, undone_reason = :why where id = :audit
            """);

    /**
     * Undoes merge {@code audit} (see {@link CrmCore#unmerge(String)}) on {@code c}, for the reason {@code why}.
     *
     * @throws NoSuchElementException when there is no such merge
     * @throws IllegalStateException  when it was undone already
     */
    void unmerge(Connection c, UUID audit, String why, Instant now) throws SQLException {
        UUID s;
        UUID t;
        JsonNode snap;
        try (PreparedStatement ps = c.prepareStatement(
                "select surviving_id, merged_id, snapshot::text, undone_at from crm_merge_audit where id = ? for update")) {
            ps.setObject(1, audit);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NoSuchElementException("no merge " + audit);
                }
                if (rs.getObject(4) != null) {
                    throw new IllegalStateException("merge " + audit + " was undone already");
                }
                t = rs.getObject(1, UUID.class);
                s = rs.getObject(2, UUID.class);
                snap = Json.object(rs.getString(3));
            }
        }
        UUID cur = ProfileAliases.resolve(c, t).orElseThrow();
        Map<UUID, ObjectNode[]> rows = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select id, attributes::text, consent::text, status from crm_customer where id = any(?) order by id for update")) {
            ps.setArray(1, SqlValues.uuids(c, new TreeSet<>(List.of(cur, s))));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getObject(1, UUID.class), new ObjectNode[] {Json.object(rs.getString(2)), Json.object(rs.getString(3))});
                }
            }
        }
        Map<String, Object> p = new HashMap<>();
        p.put("s", s);
        p.put("c", cur);
        p.put("t", t);
        p.put("audit", audit);
        p.put("now", SqlValues.utc(now));
        p.put("ids", snap.path("identities").toString());
        p.put("unl", snap.path("unlinked").toString());
        p.put("tl", snap.path("timeline").toString());
        p.put("orders", snap.path("orders").toString());
        p.put("cs", snap.has("consents") ? snap.get("consents").toString() : "[]"); // merges made before consent history kept none
        p.put("why", why);
        try (PreparedStatement ps = UNMERGE.prepare(c, p)) {
            ps.executeUpdate();
        }
        // attributes and consent S brought: back to what the survivor had, unless changed since
        ObjectNode[] survivor = rows.get(cur);
        ObjectNode[] merged = rows.get(s);
        boolean a = StatementMaps.revert(survivor[0], merged[0], snap.path("attributesBefore"));
        boolean b = StatementMaps.revert(survivor[1], merged[1], snap.path("consentBefore"));
        if (a || b) {
            try (PreparedStatement ps = c.prepareStatement(
                    "update crm_customer set attributes = ?::jsonb, consent = ?::jsonb, updated_at = ? where id = ?")) {
                ps.setString(1, Json.write(survivor[0]));
                ps.setString(2, Json.write(survivor[1]));
                ps.setObject(3, SqlValues.utc(now));
                ps.setObject(4, cur);
                ps.executeUpdate();
            }
        }
        LOG.info("unmerged customer {} from {} (audit {})", s, cur, audit);
    }
}
