package io.omnihub.crm;

import io.omnihub.crm.jdbc.NamedSql;
import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Takes apart a profile that spans platforms when its owner withdraws cross-channel linking: the
 * profile keeps the platform the withdrawal came from (and the global identifiers: phone, e-mail),
 * every other platform gets a profile of its own with its identifiers, unlinked identifiers, timeline
 * entries, orders and the attributes its events stated, and a copy of the consent (the withdrawal
 * included, so later events do not link them again) and of its history.
 *
 * <p>Each split-off profile is recorded as a merge of kind {@code split} into the profile, undone at
 * once by {@link ProfileMerger#unmerge}: the snapshot says what went, the merge history shows the
 * split with its reason, and the two are blocked from being merged again by events.
 */
final class LinkingWithdrawal {
    private static final Logger LOG = LoggerFactory.getLogger(LinkingWithdrawal.class);

    /** The reason a split records (as its undone reason, and leading its reason). */
    static final String REASON = "consent withdrawn";

    /** The split-off profile, as a merged one with a copy of the consent history, and its audit row. */
    private static final NamedSql SPLIT_OFF = NamedSql.of("""
            with cu as (
                insert into crm_customer (id, created_at, updated_at, status, attributes, consent)
                values (:n, :now, :now, 'merged', :attrs::jsonb, :consent::jsonb)
            ), hist as (
                insert into crm_consent_statement (customer_id, key, value, at, event_id, event_type, source, recorded_at)
                select :n, key, value, at, event_id, event_type, source, recorded_at from crm_consent_statement
                 where customer_id = :p order by id
            )
            insert into crm_merge_audit (id, surviving_id, merged_id, evidence_event_id, reason, merged_at, kind, joined, snapshot)
            values (:audit, :p, :n, :ev, :reason, :now, 'split', '[]'::jsonb, :snapshot::jsonb)
            """);

    private final Connection c;
    private final IdentityPolicy policy;
    private final Instant now;

    LinkingWithdrawal(Connection c, IdentityPolicy policy, Instant now) {
        this.c = c;
        this.policy = policy;
        this.now = now;
    }

    /** The platforms (channels of its channel-specific identifiers: wechat, pos, tmall, ...) a profile holds identifiers of. */
    Set<String> platformsOf(ProfileState p) {
        return platformsOf(p.ids);
    }

    private Set<String> platformsOf(Collection<IdKey> ids) {
        Set<String> out = new TreeSet<>();
        for (IdKey k : ids) {
            String ch = policy.channelOf(k.type());
            if (!ch.equals(IdentityPolicy.GLOBAL)) {
                out.add(ch);
            }
        }
        return out;
    }

    boolean spansPlatforms(ProfileState p) {
        return platformsOf(p).size() > 1;
    }

    /** What goes to the profile of one platform. */
    private static final class Part {
        final List<IdKey> identities = new ArrayList<>();
        final List<IdKey> unlinked = new ArrayList<>();
        final List<Long> timeline = new ArrayList<>();
        final Set<String> events = new HashSet<>();
        final List<String[]> orders = new ArrayList<>();
    }

    /**
     * Splits {@code p} (locked, written) after an event of {@code channel} withdrew linking on it:
     * first undoes the merges that brought it another platform's profile (that profile comes back,
     * with the withdrawal), then gives each platform still on it a profile of its own. The caller
     * reloads the graph afterwards. Returns the profiles that came back or were split off.
     */
    List<UUID> split(ProfileState p, String channel, String eventId, ProfileMerger merger) throws SQLException {
        Set<String> platforms = platformsOf(p);
        String stays = platforms.contains(channel) ? channel : firstSeenPlatform(p.id, platforms);
        String reason = REASON + ": cross-channel linking declined on " + channel + " by event " + eventId;
        List<UUID> made = new ArrayList<>();
        for (UUID back : undoMergesAcrossPlatforms(p.id, stays, merger)) {
            made.add(back);
            giveConsentOf(p.id, back);
            Set<String> theirs = platformsOf(identities(back));
            if (theirs.size() > 1) {
                made.addAll(splitOff(back, firstSeenPlatform(back, theirs), eventId, reason, merger));
            }
        }
        made.addAll(splitOff(p.id, stays, eventId, reason, merger));
        blockEachOther(made);
        return made;
    }

    /**
     * Undoes, newest first, the merges into {@code profile} (or into profiles merged into it) whose
     * merged profile brought identifiers of one platform only, not {@code stays}; returns the profiles
     * that came back.
     */
    private List<UUID> undoMergesAcrossPlatforms(UUID profile, String stays, ProfileMerger merger) throws SQLException {
        List<UUID> tree = ProfileAliases.withMerged(c, profile);
        List<UUID[]> undo = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, merged_id, snapshot->'identities' from crm_merge_audit "
                + "where undone_at is null and surviving_id = any(?) order by merged_at desc, id desc")) {
            ps.setArray(1, SqlValues.uuids(c, tree));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Set<String> brought = new TreeSet<>();
                    for (JsonNode i : Json.MAPPER.readTree(rs.getString(3))) {
                        String ch = policy.channelOf(i.path(0).asString());
                        if (!ch.equals(IdentityPolicy.GLOBAL)) {
                            brought.add(ch);
                        }
                    }
                    if (brought.size() == 1 && !brought.contains(stays)) {
                        undo.add(new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)});
                    }
                }
            }
        }
        List<UUID> back = new ArrayList<>();
        for (UUID[] u : undo) {
            merger.unmerge(c, u[0], REASON, now);
            back.add(u[1]);
        }
        return back;
    }

    /**
     * Gives {@code to} the consent statements of {@code from} that are more recent than its own (the
     * withdrawal among them) and a copy of the history of {@code from}.
     */
    private void giveConsentOf(UUID from, UUID to) throws SQLException {
        Map<UUID, ObjectNode> consent = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, consent::text from crm_customer where id = any(?)")) {
            ps.setArray(1, SqlValues.uuids(c, List.of(from, to)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    consent.put(rs.getObject(1, UUID.class), Json.object(rs.getString(2)));
                }
            }
        }
        ObjectNode theirs = consent.get(to);
        StatementMaps.combine(theirs, consent.get(from));
        try (PreparedStatement ps = c.prepareStatement("""
                with cur as (
                    update crm_customer set consent = ?::jsonb, updated_at = ? where id = ?
                )
                insert into crm_consent_statement (customer_id, key, value, at, event_id, event_type, source, recorded_at)
                select ?, key, value, at, event_id, event_type, source, recorded_at from crm_consent_statement
                 where customer_id = ? order by id
                """)) {
            ps.setString(1, Json.write(theirs));
            ps.setObject(2, SqlValues.utc(now));
            ps.setObject(3, to);
            ps.setObject(4, to);
            ps.setObject(5, from);
            ps.executeUpdate();
        }
    }

    /** Gives each platform of {@code profile} but {@code stays} a profile of its own; returns them. */
    private List<UUID> splitOff(UUID profile, String stays, String eventId, String reason, ProfileMerger merger) throws SQLException {
        List<IdKey> ids = identities(profile);
        Set<String> platforms = platformsOf(ids);
        Map<String, Part> parts = new TreeMap<>();
        platforms.stream().filter(x -> !x.equals(stays)).forEach(x -> parts.put(x, new Part()));
        if (parts.isEmpty()) {
            return List.of();
        }
        for (IdKey k : ids) {
            Part part = parts.get(policy.channelOf(k.type()));
            if (part != null) {
                part.identities.add(k);
            }
        }
        readUnlinked(profile, parts);
        readTimeline(profile, platforms, parts);
        readOrders(profile, parts);
        ObjectNode attrs;
        String consent;
        try (PreparedStatement ps = c.prepareStatement("select attributes::text, consent::text from crm_customer where id = ?")) {
            ps.setObject(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                attrs = Json.object(rs.getString(1));
                consent = rs.getString(2);
            }
        }
        List<UUID> made = new ArrayList<>();
        int before = attrs.size();
        for (Map.Entry<String, Part> e : parts.entrySet()) {
            Part part = e.getValue();
            UUID n = Uuids.v7(now);
            ObjectNode theirs = Json.MAPPER.createObjectNode();
            for (String name : List.copyOf(attrs.propertyNames())) {
                if (part.events.contains(attrs.get(name).path("ev").asString(""))) {
                    theirs.set(name, attrs.remove(name));
                }
            }
            UUID audit = Uuids.v7(now);
            Map<String, Object> params = new HashMap<>();
            params.put("n", n);
            params.put("p", profile);
            params.put("audit", audit);
            params.put("now", SqlValues.utc(now));
            params.put("attrs", Json.write(theirs));
            params.put("consent", consent);
            params.put("ev", eventId);
            params.put("reason", reason);
            params.put("snapshot", Json.write(snapshot(part)));
            try (PreparedStatement ps = SPLIT_OFF.prepare(c, params)) {
                ps.executeUpdate();
            }
            merger.unmerge(c, audit, REASON, now);
            keepGlobalsAsUnlinked(profile, ids, n);
            made.add(n);
            LOG.info("customer {} withdrew cross-channel linking: its {} part is customer {} now (audit {})", profile, e.getKey(), n, audit);
        }
        if (attrs.size() != before) {
            try (PreparedStatement ps = c.prepareStatement("update crm_customer set attributes = ?::jsonb, updated_at = ? where id = ?")) {
                ps.setString(1, Json.write(attrs));
                ps.setObject(2, SqlValues.utc(now));
                ps.setObject(3, profile);
                ps.executeUpdate();
            }
        }
        return made;
    }

    private List<IdKey> identities(UUID profile) throws SQLException {
        List<IdKey> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select type, namespace, value from crm_identity where customer_id = ?")) {
            ps.setObject(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new IdKey(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /** The snapshot {@link ProfileMerger#unmerge} moves back: what goes to the split-off profile. */
    private static ObjectNode snapshot(Part part) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        ArrayNode ids = s.putArray("identities");
        part.identities.forEach(k -> ids.addArray().add(k.type()).add(k.namespace()).add(k.value()));
        ArrayNode unl = s.putArray("unlinked");
        part.unlinked.forEach(k -> unl.addArray().add(k.type()).add(k.namespace()).add(k.value()));
        ArrayNode tl = s.putArray("timeline");
        part.timeline.forEach(tl::add);
        ArrayNode ord = s.putArray("orders");
        part.orders.forEach(o -> ord.addArray().add(o[0]).add(o[1]));
        s.putArray("tags");
        s.putArray("scores");
        s.putArray("consents");
        s.putObject("attributesBefore");
        s.putObject("consentBefore");
        return s;
    }

    /** The platform of the profile's earliest seen channel-specific identifier. */
    private String firstSeenPlatform(UUID profile, Set<String> platforms) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select type from crm_identity where customer_id = ? order by first_seen_at, type, value")) {
            ps.setObject(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String ch = policy.channelOf(rs.getString(1));
                    if (platforms.contains(ch)) {
                        return ch;
                    }
                }
            }
        }
        return platforms.iterator().next();
    }

    private void readUnlinked(UUID profile, Map<String, Part> parts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select type, namespace, value from crm_identity_unlinked where customer_id = ?")) {
            ps.setObject(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Part part = parts.get(policy.channelOf(rs.getString(1)));
                    if (part != null) {
                        part.unlinked.add(new IdKey(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
        }
    }

    /**
     * An entry follows the platform of its channel-specific identifiers; when it has several, or none,
     * the platform of its connector; else it stays.
     */
    private void readTimeline(UUID profile, Set<String> platforms, Map<String, Part> parts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, event_id, source, identities::text from crm_timeline where customer_id = ?")) {
            ps.setObject(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Set<String> seen = new TreeSet<>();
                    for (JsonNode i : Json.MAPPER.readTree(rs.getString(4))) {
                        String ch = policy.channelOf(i.path(0).asString());
                        if (platforms.contains(ch)) {
                            seen.add(ch);
                        }
                    }
                    String connector = CheckedEvent.connectorOf(rs.getString(3));
                    String platform = seen.size() == 1 ? seen.iterator().next() : platforms.contains(connector) ? connector : null;
                    Part part = platform == null ? null : parts.get(platform);
                    if (part != null) {
                        part.timeline.add(rs.getLong(1));
                        part.events.add(rs.getString(2));
                    }
                }
            }
        }
    }

    /** An order follows the platform of the connector it came from. */
    private void readOrders(UUID profile, Map<String, Part> parts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select source, order_id, channel from crm_order where customer_id = ?")) {
            ps.setObject(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Part part = parts.get(rs.getString(3));
                    if (part != null) {
                        part.orders.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
        }
    }

    /** The split-off profile keeps the global identifiers (phone, e-mail) it shared as unlinked: they are the person's, not its link. */
    private void keepGlobalsAsUnlinked(UUID profile, List<IdKey> ids, UUID n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into crm_identity_unlinked (customer_id, type, namespace, value, reason, first_seen_at, last_seen_at, source, event_id, evidence)
                select ?, type, namespace, value, ?, first_seen_at, last_seen_at, source, event_id, evidence from crm_identity
                 where customer_id = ? and type = any(?)
                on conflict (customer_id, type, namespace, value) do update set reason = excluded.reason
                """)) {
            Set<String> globalTypes = new TreeSet<>();
            ids.stream().map(IdKey::type).filter(t -> policy.channelOf(t).equals(IdentityPolicy.GLOBAL)).forEach(globalTypes::add);
            if (globalTypes.isEmpty()) {
                return;
            }
            ps.setObject(1, n);
            ps.setString(2, Unlinked.CONSENT);
            ps.setObject(3, profile);
            ps.setArray(4, SqlValues.texts(c, List.copyOf(globalTypes)));
            ps.executeUpdate();
        }
    }

    /** The split-off profiles are kept apart from each other too (each is kept apart from the profile by its undone split). */
    private void blockEachOther(List<UUID> made) throws SQLException {
        if (made.size() < 2) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into crm_merge_block (customer_id, other_id, created_at) values (?, ?, ?) on conflict do nothing")) {
            for (UUID a : made) {
                for (UUID b : made) {
                    if (!a.equals(b)) {
                        ps.setObject(1, a);
                        ps.setObject(2, b);
                        ps.setObject(3, SqlValues.utc(now));
                        ps.addBatch();
                    }
                }
            }
            ps.executeBatch();
        }
    }
}
