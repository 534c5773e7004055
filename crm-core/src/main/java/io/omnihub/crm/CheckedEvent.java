package io.omnihub.crm;

import io.omnihub.connector.event.CustomerEvent;
import java.util.ArrayList;
import java.util.List;
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

    CheckedEvent(CustomerEvent ev) {
        this.ev = ev;
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
