package io.omnihub.crm;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.CustomerEventData;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Order;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks an event before the database is touched: id, identities (normalized and classified by
 * the policy into linkable candidates, non-linkable, blocked and invalid), order fields, storable
 * data. Pure: no JDBC, no state.
 */
final class EventCheck {
    private static final int MAX_TEXT = 2000;

    private final IdentityPolicy policy;

    EventCheck(IdentityPolicy policy) {
        this.policy = policy;
    }

    CheckedEvent check(CustomerEvent ev) {
        CheckedEvent p = new CheckedEvent(ev);
        if (ev == null) {
            p.reject = "event is null";
            return p;
        }
        if (ev.id().isBlank() || ev.id().length() > 512 || ev.id().indexOf('\0') >= 0) {
            p.reject = "event id is empty, too long or not text";
            return p;
        }
        CustomerEventData d = ev.data();
        if (d.identities().isEmpty()) {
            p.reject = "event has no identities";
            return p;
        }
        Set<IdKey> seen = new HashSet<>();
        for (Identity raw : d.identities()) {
            if (raw == null) {
                continue;
            }
            var norm = policy.normalize(raw);
            if (norm.isEmpty()) {
                IdKey k = new IdKey(IdentityPolicy.stripNul(raw.type()), raw.namespace() == null ? "" : IdentityPolicy.stripNul(raw.namespace()),
                        IdentityPolicy.stripNul(raw.value().length() > 256 ? raw.value().substring(0, 256) : raw.value()));
                p.blocked.add(new Unlinked(k, Unlinked.INVALID));
                continue;
            }
            Identity id = norm.get();
            IdKey k = IdKey.of(id);
            if (!seen.add(k)) {
                if (rank(id.evidence()) > rank(p.evidence.get(k))) {
                    p.evidence.put(k, id.evidence()); // the same identity twice: the stronger evidence counts
                }
                continue;
            }
            if (id.evidence() != null) {
                p.evidence.put(k, id.evidence());
            }
            if (policy.isBlocked(id)) {
                p.blocked.add(new Unlinked(k, Unlinked.BLOCKED));
            } else if (!policy.rule(id.type()).linkable()) {
                p.notLinkable.add(new Unlinked(k, Unlinked.NOT_LINKABLE));
            } else if (id.type().equals(IdentityTypes.PHONE) && !policy.phones().linkable(id.value())) {
                p.notLinkable.add(new Unlinked(k, Unlinked.PHONE_KIND + policy.phones().kind(id.value())));
            } else {
                p.candidates.add(k);
            }
        }
        boolean aPhoneOfAnotherKind = p.notLinkable.stream().anyMatch(u -> u.reason().startsWith(Unlinked.PHONE_KIND));
        if (p.candidates.isEmpty() && !aPhoneOfAnotherKind) {
            List<Unlinked> all = new ArrayList<>(p.blocked);
            all.addAll(p.notLinkable);
            StringBuilder sb = new StringBuilder(p.notLinkable.isEmpty()
                    ? "every identity is blocked or invalid: " : "no linkable identity: ");
            for (int i = 0; i < all.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(all.get(i).key().masked()).append(" (").append(all.get(i).reason()).append(')');
            }
            p.reject = sb.toString();
            return p;
        }
        // an event known only by a phone that links nobody (a store's landline typed in for a walk-in)
        // still happened: it gets a profile of its own, the phone kept on it as unlinked
        Order o = d.order();
        if (o != null && isOrderEvent(ev.type())) {
            if (o.id().isBlank() || o.currency().isBlank()) {
                p.reject = "order id or currency is empty";
                return p;
            }
        }
        try {
            p.summary = summary(ev);
            ObjectNode attrs = Json.MAPPER.createObjectNode();
            for (Map.Entry<String, Object> e : d.attributes().entrySet()) {
                JsonNode v = Json.clean(Json.tree(e.getValue()));
                if (!isEmpty(v)) {
                    attrs.set(IdentityPolicy.stripNul(e.getKey()), v);
                }
            }
            p.attributes = attrs;
        } catch (IllegalArgumentException e) {
            p.reject = "event data cannot be stored: " + e.getMessage();
        }
        return p;
    }

    /** Orders evidence from weakest to strongest; unspecified counts as stated. */
    static int rank(Evidence e) {
        if (e == null) {
            return 3;
        }
        return switch (e) {
            case VERIFIED -> 4;
            case STATED -> 3;
            case NOTED -> 2;
            case DELIVERY -> 1;
        };
    }

    static boolean isOrderEvent(String type) {
        return type.startsWith("order.") || type.equals(EventTypes.STORE_PURCHASED);
    }

    private static boolean isEmpty(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode()
                || (v.isString() && v.stringValue().isBlank())
                || ((v.isArray() || v.isObject()) && v.isEmpty());
    }

    static ObjectNode summary(CustomerEvent ev) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        CustomerEventData d = ev.data();
        if (d.message() != null) {
            ObjectNode m = s.putObject("message");
            if (d.message().kind() != null) {
                m.put("kind", d.message().kind());
            }
            if (d.message().text() != null) {
                String t = d.message().text();
                m.put("text", t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) + "…" : t);
            }
        }
        if (d.order() != null) {
            Order o = d.order();
            ObjectNode m = s.putObject("order");
            m.put("id", o.id());
            if (o.status() != null) {
                m.put("status", o.status());
            }
            m.put("currency", o.currency());
            m.put("totalMinor", o.totalMinor());
            m.put("lines", o.lines().size());
        }
        if (d.consent() != null) {
            ObjectNode m = s.putObject("consent");
            if (d.consent().crossChannelLinking() != null) {
                m.put("crossChannelLinking", d.consent().crossChannelLinking());
            }
            if (d.consent().marketing() != null) {
                m.put("marketing", d.consent().marketing());
            }
            d.consent().marketingChannels().forEach((channel, allowed) -> m.put(ConsentKeys.marketingOn(channel), allowed));
            if (d.consent().analytics() != null) {
                m.put("analytics", d.consent().analytics());
            }
        }
        if (!d.extra().isEmpty()) {
            s.set("extra", Json.tree(new TreeMap<>(d.extra())));
        }
        return (ObjectNode) Json.clean(s);
    }
}
