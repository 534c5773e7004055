package io.omnihub.crm;

import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds identifiers that behave like shared ones, from what the events show, and undoes what they
 * glued. An identifier of a shareable type (phone, e-mail, device) is recorded with each distinct
 * strong identifier of another type it was seen with (its peers), and with each walk-in order at a
 * store that carried nothing else. Once it has {@link SharingRules#peers()} peers of one kind (three
 * member cards, three buyer ids of one shop) or {@link SharingRules#walkIns()} walk-in orders at one
 * store, it is marked shared: it links nobody from then on, the merges it caused are undone and the
 * events that reached its profile through it alone get profiles of their own, with an audit record
 * operators can confirm or overrule.
 */
final class SharedIdentifierWatch {
    private static final Logger LOG = LoggerFactory.getLogger(SharedIdentifierWatch.class);
    static final String WALK_IN = "walk_in";

    /** An identifier found to be shared: {@code count} distinct peers of one kind. */
    record Detection(IdKey key, String peerType, String peerNamespace, int count) {
        String reason() {
            return peerType.equals(WALK_IN)
                    ? "the only identifier of " + count + " walk-in orders at " + peerNamespace
                    : "seen with " + count + " different " + peerType + (peerNamespace.isEmpty() ? "" : " of " + peerNamespace);
        }
    }

    private final Connection c;
    private final IdentityPolicy policy;
    private final Instant now;

    SharedIdentifierWatch(Connection c, IdentityPolicy policy, Instant now) {
        this.c = c;
        this.policy = policy;
        this.now = now;
    }

    /**
     * Records the peers the events show and returns the identifiers that just crossed a threshold
     * (never those an operator decided on). One statement, and one more when anything was new.
     */
    List<Detection> observe(Collection<CheckedEvent> events) throws SQLException {
        SharingRules rules = policy.sharing();
        List<String[]> peers = new ArrayList<>();
        for (CheckedEvent p : events) {
            for (IdKey k : p.candidates) {
                if (!rules.shareable(k.type())) {
                    continue;
                }
                if (p.candidates.size() == 1 && p.orderId() != null) {
                    peers.add(new String[] {k.type(), k.namespace(), k.value(), WALK_IN, p.store(), p.orderId()});
                }
                for (IdKey s : p.candidates) {
                    if (!s.type().equals(k.type()) && p.strong(s)) {
                        peers.add(new String[] {k.type(), k.namespace(), k.value(), s.type(), s.namespace(), s.value()});
                    }
                }
            }
        }
        if (peers.isEmpty()) {
            return List.of();
        }
        Set<List<String>> fresh = new LinkedHashSet<>();
        // Most pairs were recorded before. The anti-join finds them in the key's index alone (an
        // index-only scan); the conflict check would also read each one's row, a page per pair
        // outside the cache on a large graph. The conflict check stays for what the anti-join cannot
        // see: a pair twice in this batch (two events of one customer) and a pair another
        // transaction is adding.
        try (PreparedStatement ps = c.prepareStatement("""
                insert into crm_identifier_peer (type, namespace, value, peer_type, peer_namespace, peer_value, first_seen_at)
                select t, n, v, pt, pn, pv, ? from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) as x(t, n, v, pt, pn, pv)
                 where not exists (select 1 from crm_identifier_peer p
                                    where p.type = x.t and p.namespace = x.n and p.value = x.v
                                      and p.peer_type = x.pt and p.peer_namespace = x.pn and p.peer_value = x.pv)
                on conflict do nothing
                returning type, namespace, value, peer_type, peer_namespace
                """)) {
            ps.setObject(1, SqlValues.utc(now));
            for (int col = 0; col < 6; col++) {
                List<String> values = new ArrayList<>(peers.size());
                for (String[] row : peers) {
                    values.add(row[col]);
                }
                ps.setArray(col + 2, SqlValues.texts(c, values));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        if (fresh.isEmpty()) {
            return List.of();
        }
        List<Detection> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select p.type, p.namespace, p.value, p.peer_type, p.peer_namespace, count(*)
                  from crm_identifier_peer p
                  join unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) as k(t, n, v, pt, pn)
                    on p.type = k.t and p.namespace = k.n and p.value = k.v and p.peer_type = k.pt and p.peer_namespace = k.pn
                 where not exists (select 1 from crm_shared_identifier s where s.type = p.type and s.namespace = p.namespace and s.value = p.value)
                 group by 1, 2, 3, 4, 5
                having count(*) >= ?
                """)) {
            for (int col = 0; col < 5; col++) {
                List<String> values = new ArrayList<>(fresh.size());
                for (List<String> row : fresh) {
                    values.add(row.get(col));
                }
                ps.setArray(col + 1, SqlValues.texts(c, values));
            }
            ps.setInt(6, Math.min(rules.peers(), rules.walkIns()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String peerType = rs.getString(4);
                    int count = rs.getInt(6);
                    if (count >= (peerType.equals(WALK_IN) ? rules.walkIns() : rules.peers())) {
                        IdKey k = new IdKey(rs.getString(1), rs.getString(2), rs.getString(3));
                        if (out.stream().noneMatch(d -> d.key().equals(k))) {
                            out.add(new Detection(k, peerType, rs.getString(5), count));
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Marks {@code d}'s identifier shared and undoes what it glued: merges where it was all that
     * joined one side are undone (the pair is then kept apart), events whose profile it alone
     * reached get a profile each, and it leaves its owner (who keeps it as unlinked).
     */
    void split(Detection d, Set<IdKey> shared, ProfileMerger merger) throws SQLException {
        IdKey key = d.key();
        List<String> undone = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, joined::text from crm_merge_audit where undone_at is null "
                + "and joined @> ?::jsonb order by merged_at desc, id desc")) {
            ObjectNode probe = Json.MAPPER.createObjectNode().put("type", key.type()).put("namespace", key.namespace()).put("value", key.value());
            ps.setString(1, Json.write(Json.MAPPER.createArrayNode().add(probe)));
            List<UUID> audits = new ArrayList<>();
            List<JsonNode> joined = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    audits.add(rs.getObject(1, UUID.class));
                    joined.add(Json.MAPPER.readTree(rs.getString(2)));
                }
            }
            for (int i = 0; i < audits.size(); i++) {
                if (onlyShared(joined.get(i), "survivor", key, shared) || onlyShared(joined.get(i), "merged", key, shared)) {
                    merger.unmerge(c, audits.get(i), "shared identifier " + key.masked() + ": " + d.reason(), now);
                    undone.add(audits.get(i).toString());
                }
            }
        }
        UUID owner = null;
        try (PreparedStatement ps = c.prepareStatement("select customer_id from crm_identity where type = ? and namespace = ? and value = ?")) {
            ps.setString(1, key.type());
            ps.setString(2, key.namespace());
            ps.setString(3, key.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    owner = rs.getObject(1, UUID.class);
                }
            }
        }
        int separated = 0;
        if (owner != null) {
            separated = separateEvents(owner, key, shared);
            try (PreparedStatement ps = c.prepareStatement("""
                    with gone as (
                        delete from crm_identity where type = ? and namespace = ? and value = ?
                        returning customer_id, type, namespace, value, first_seen_at, last_seen_at, source, event_id, evidence
                    )
                    insert into crm_identity_unlinked (customer_id, type, namespace, value, reason, first_seen_at, last_seen_at, source, event_id, evidence)
                    select customer_id, type, namespace, value, ?, first_seen_at, last_seen_at, source, event_id, evidence from gone
                    on conflict (customer_id, type, namespace, value) do update set reason = excluded.reason
                    """)) {
                ps.setString(1, key.type());
                ps.setString(2, key.namespace());
                ps.setString(3, key.value());
                ps.setString(4, Unlinked.SHARED);
                ps.executeUpdate();
            }
        }
        ObjectNode evidence = Json.MAPPER.createObjectNode();
        evidence.put("peerType", d.peerType()).put("peerNamespace", d.peerNamespace()).put("peers", d.count());
        evidence.putArray("undoneMerges").addAll(undone.stream().map(x -> Json.MAPPER.getNodeFactory().stringNode(x)).toList());
        evidence.put("separatedEvents", separated);
        if (owner != null) {
            evidence.put("heldBy", owner.toString());
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into crm_shared_identifier (type, namespace, value, status, reason, evidence, detected_at)
                values (?, ?, ?, 'detected', ?, ?::jsonb, ?) on conflict do nothing
                """)) {
            ps.setString(1, key.type());
            ps.setString(2, key.namespace());
            ps.setString(3, key.value());
            ps.setString(4, d.reason());
            ps.setString(5, Json.write(evidence));
            ps.setObject(6, SqlValues.utc(now));
            ps.executeUpdate();
        }
        LOG.info("identifier {} is shared ({}): {} merges undone, {} events given profiles of their own",
                key.masked(), d.reason(), undone.size(), separated);
    }

    private static boolean onlyShared(JsonNode joined, String side, IdKey key, Set<IdKey> shared) {
        boolean any = false;
        for (JsonNode j : joined) {
            if (!side.equals(j.path("side").asString())) {
                continue;
            }
            any = true;
            IdKey k = new IdKey(j.path("type").asString(), j.path("namespace").asString(), j.path("value").asString());
            if (!k.equals(key) && !shared.contains(k)) {
                return false;
            }
        }
        return any;
    }

    /**
     * Gives each event of {@code owner} that only {@code key} (and other shared identifiers) linked a
     * profile of its own; a profile made of such events only keeps the first.
     */
    private int separateEvents(UUID owner, IdKey key, Set<IdKey> shared) throws SQLException {
        record Entry(long id, OffsetDateTime recordedAt, String source, String orderId) {
        }
        List<Entry> alone = new ArrayList<>();
        int others = 0;
        try (PreparedStatement ps = c.prepareStatement("select id, source, summary->'order'->>'id', identities::text, identities @> ?::jsonb, recorded_at "
                + "from crm_timeline where customer_id = ? order by time, id")) {
            ps.setString(1, Json.write(Json.MAPPER.createArrayNode().add(Json.MAPPER.createArrayNode().add(key.type()).add(key.namespace()).add(key.value()))));
            ps.setObject(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(5)) {
                        others++;
                        continue;
                    }
                    boolean onlyShared = true;
                    for (JsonNode i : Json.MAPPER.readTree(rs.getString(4))) {
                        IdKey k = new IdKey(i.path(0).asString(), i.path(1).asString(), i.path(2).asString());
                        onlyShared &= k.equals(key) || shared.contains(k);
                    }
                    if (onlyShared) {
                        alone.add(new Entry(rs.getLong(1), rs.getObject(6, OffsetDateTime.class), rs.getString(2), rs.getString(3)));
                    } else {
                        others++;
                    }
                }
            }
        }
        if (others == 0 && !alone.isEmpty()) {
            alone.remove(0); // a profile made of these events only keeps the first of them
        }
        if (alone.isEmpty()) {
            return 0;
        }
        try (PreparedStatement profile = c.prepareStatement(
                "insert into crm_customer (id, created_at, updated_at, status, attributes, consent) values (?, ?, ?, 'active', '{}', '{}')");
             // with its recorded time, the entry's key: the update then looks in its month's partition only
             PreparedStatement entry = c.prepareStatement("update crm_timeline set customer_id = ? where id = ? and recorded_at = ?");
             PreparedStatement order = c.prepareStatement("update crm_order set customer_id = ? where customer_id = ? and source = ? and order_id = ?");
             // windowed traits' counters cannot be split by event: the profiles are recounted from their timelines
             PreparedStatement recount = c.prepareStatement(
                     "insert into crm_trait_recount (customer_id, marked_at) values (?, ?) on conflict do nothing")) {
            recount.setObject(1, owner);
            recount.setObject(2, SqlValues.utc(now));
            recount.addBatch();
            for (Entry e : alone) {
                UUID id = Uuids.v7(now);
                recount.setObject(1, id);
                recount.setObject(2, SqlValues.utc(now));
                recount.addBatch();
                profile.setObject(1, id);
                profile.setObject(2, SqlValues.utc(now));
                profile.setObject(3, SqlValues.utc(now));
                profile.addBatch();
                entry.setObject(1, id);
                entry.setLong(2, e.id());
                entry.setObject(3, e.recordedAt());
                entry.addBatch();
                if (e.orderId() != null) {
                    order.setObject(1, id);
                    order.setObject(2, owner);
                    order.setString(3, e.source());
                    order.setString(4, e.orderId());
                    order.addBatch();
                }
            }
            profile.executeBatch();
            entry.executeBatch();
            order.executeBatch();
            recount.executeBatch();
        }
        return alone.size();
    }
}
