package io.omnihub.crm.automation;

import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Order;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Events rebuilt from a profile's timeline: type, time, source and what the timeline keeps of the
 * data (the order, message, consent and extra; not attributes). Used where an event must be
 * evaluated again after it was applied: dry runs, and recounting windowed traits.
 */
final class TimelineEvents {

    private TimelineEvents() {
    }

    /**
     * The event of a timeline entry.
     *
     * @param id         the id the rebuilt event gets
     * @param summary    the entry's {@code summary}
     * @param identities who it is about (the timeline keeps no identities)
     * @param lines      the order's lines (the timeline keeps only their number); empty when unknown
     */
    @SuppressWarnings("unchecked")
    static CustomerEvent rebuild(String id, String type, OffsetDateTime time, String source, Map<String, Object> summary,
                                 List<Identity> identities, List<Order.OrderLine> lines, Instant receivedAt) {
        CustomerEvent.Builder b = CustomerEvent.builder(id, type).time(time).receivedAt(receivedAt);
        identities.forEach(b::identity);
        String[] parts = source.split("/");
        b.source(parts.length > 2 ? parts[2] : "unknown", parts.length > 3 ? parts[3] : "unknown");
        if (summary.get("order") instanceof Map<?, ?> o) {
            Map<String, Object> order = (Map<String, Object>) o;
            b.order(new Order(String.valueOf(order.get("id")), (String) order.get("status"), String.valueOf(order.get("currency")),
                    ((Number) order.getOrDefault("totalMinor", 0)).longValue(), lines));
        }
        if (summary.get("message") instanceof Map<?, ?> m) {
            b.message(new Message((String) m.get("kind"), (String) m.get("text")));
        }
        if (summary.get("consent") instanceof Map<?, ?> consent) {
            b.consent(new Consent((Boolean) consent.get("crossChannelLinking"), (Boolean) consent.get("marketing")));
        }
        if (summary.get("extra") instanceof Map<?, ?> extra) {
            extra.forEach((k, v) -> b.extra(String.valueOf(k), v));
        }
        CustomerEvent built = b.build();
        return new CustomerEvent(built.id(), source, built.type(), built.time(), built.data());
    }
}
