package io.omnihub.crm;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Evidence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** An event checked and normalized before the database is touched (see {@link EventCheck}). */
final class CheckedEvent {
    final CustomerEvent ev;
    /** Why the event cannot be applied; null when it can. */
    String reject;
    /** Linkable identities, normalized, each once, in the event's order. */
    final List<IdKey> candidates = new ArrayList<>();
    /** Identities of types that never link: kept on the profile as unlinked. */
    final List<Unlinked> notLinkable = new ArrayList<>();
    /** Blocked or invalid identities: only shown on the timeline entry. */
    final List<Unlinked> blocked = new ArrayList<>();
    /** The timeline entry's summary. */
    ObjectNode summary;
    /** Non-empty attributes, NUL-free. */
    ObjectNode attributes;
    /** The evidence the event gives for each of its identities (absent: unspecified, strong). */
    final Map<IdKey, Evidence> evidence = new HashMap<>();
    /** The suppressions (erased customers' identifiers) the event carries; empty when it carries none. */
    List<java.util.UUID> suppressedBy = List.of();

    /** Every identity of the event as normalized: candidates, non-linkable, blocked and invalid. */
    List<IdKey> allKeys() {
        List<IdKey> all = new ArrayList<>(candidates);
        notLinkable.forEach(u -> all.add(u.key()));
        blocked.forEach(u -> all.add(u.key()));
        return all;
    }

    CheckedEvent(CustomerEvent ev) {
        this.ev = ev;
    }

    /** Whether the event gives strong evidence for {@code key}: verified, stated, or unspecified. */
    boolean strong(IdKey key) {
        Evidence e = evidence.get(key);
        return e == null || e.strong();
    }

    /** The event's order id, when it is an order event. */
    String orderId() {
        return ev.data().order() != null && EventCheck.isOrderEvent(ev.type()) ? ev.data().order().id() : null;
    }

    /** Where a walk-in purchase happened: the event's source, and the store when the event names one. */
    String store() {
        Object store = ev.data().extra().get("storeId");
        return ev.source() + (store == null ? "" : "#" + store);
    }

    /** {@code /connectors/<connector>/<instance>} gives {@code <connector>}; anything else the source itself. */
    static String connectorOf(String source) {
        if (source == null) {
            return "unknown";
        }
        String[] parts = source.split("/");
        if (parts.length >= 3 && parts[1].equals("connectors") && !parts[2].isBlank()) {
            return parts[2];
        }
        return source;
    }
}
