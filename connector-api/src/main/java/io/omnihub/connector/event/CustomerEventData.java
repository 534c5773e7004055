package io.omnihub.connector.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code data} of a canonical event, as {@code customer-event.schema.json} defines it.
 *
 * @param receivedAt when the hub received the underlying record
 * @param identities who the event is about: every identifier the channel stated, at least one
 * @param consent    consent stated with the event, or {@code null}
 * @param attributes profile attributes the channel stated (name, gender, city, ...)
 * @param order      the order, for {@code order.*} and {@code store.purchased} events
 * @param message    the message, for {@code message.received}
 * @param extra      channel fields worth keeping (an EventKey, a QR scene); never secrets
 * @param coupon     the coupon, for {@code coupon.issued} and {@code coupon.redeemed} (and an order
 *                   that redeemed one), or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CustomerEventData(
        OffsetDateTime receivedAt,
        List<Identity> identities,
        Consent consent,
        Map<String, Object> attributes,
        Order order,
        Message message,
        Map<String, Object> extra,
        Coupon coupon) {

    public CustomerEventData {
        Objects.requireNonNull(receivedAt, "receivedAt");
        identities = identities == null ? List.of() : List.copyOf(identities); // written without when empty (NON_EMPTY)
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** Data without a coupon, as SDK 1.0 built it. */
    public CustomerEventData(OffsetDateTime receivedAt, List<Identity> identities, Consent consent,
                             Map<String, Object> attributes, Order order, Message message, Map<String, Object> extra) {
        this(receivedAt, identities, consent, attributes, order, message, extra, null);
    }
}
