package io.omnihub.connectors.pos;

import io.omnihub.connector.event.Coupon;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One sales ticket as both sources see it, and the one place that turns a ticket into a canonical
 * event, so a Pospal ticket and a CSV row for the same sale become the same event.
 *
 * @param storeId    the store the ticket was rung up in
 * @param sn         the ticket's number, unique within its store
 * @param time       when the sale happened, in the till's zone
 * @param totalMinor what the ticket comes to, in fen; negative for a return ticket
 * @param status     the source's ticket type as sent (Pospal's {@code ticketType}), or {@code null}
 * @param lines      the order lines
 * @param identities the member's identities; at least one
 * @param attributes profile attributes the source states (the member's name)
 * @param extra      source fields worth keeping
 * @param coupons    coupons the ticket redeemed, by the code the till recorded; may be empty
 */
record SalesTicket(String storeId, String sn, OffsetDateTime time, long totalMinor, String status,
                   List<Order.OrderLine> lines, List<Identity> identities, Map<String, Object> attributes,
                   Map<String, Object> extra, List<Coupon> coupons) {

    static final String CURRENCY = "CNY";

    SalesTicket {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(sn, "sn");
        Objects.requireNonNull(time, "time");
        lines = List.copyOf(lines);
        identities = List.copyOf(identities);
        attributes = new LinkedHashMap<>(attributes);
        extra = new LinkedHashMap<>(extra);
        coupons = List.copyOf(coupons);
    }

    /** A ticket that redeemed no coupon. */
    SalesTicket(String storeId, String sn, OffsetDateTime time, long totalMinor, String status,
                List<Order.OrderLine> lines, List<Identity> identities, Map<String, Object> attributes,
                Map<String, Object> extra) {
        this(storeId, sn, time, totalMinor, status, lines, identities, attributes, extra, List.of());
    }

    /**
     * The event id: {@code pos:<brand>:<store id>:<ticket sn>}. Keyed on the ticket alone, so a
     * ticket polled twice, read again after a crash, or delivered by both sources of one brand
     * gives one event.
     */
    static String eventId(String brand, String storeId, String sn) {
        return "pos:" + brand + ":" + storeId + ":" + sn;
    }

    /**
     * The order id, {@code <store id>:<ticket sn>}: ticket numbers are only unique per store, and the
     * CRM keys orders by (instance, order id), where one CSV instance may carry many stores.
     */
    static String orderId(String storeId, String sn) {
        return storeId + ":" + sn;
    }

    /**
     * The events of this ticket: its {@code store.purchased} (carrying the coupon when it redeemed
     * exactly one), then one {@code coupon.redeemed} per coupon, id
     * {@code <purchase id>:coupon:<code>}, at the sale's time, with the store and order.
     */
    List<CustomerEvent> toEvents(String connectorId, String instanceId, String brand, Instant receivedAt) {
        List<CustomerEvent> events = new ArrayList<>();
        events.add(toEvent(connectorId, instanceId, brand, receivedAt));
        for (Coupon coupon : coupons) {
            CustomerEvent.Builder redeemed = start(eventId(brand, storeId, sn) + ":coupon:" + coupon.code(),
                    EventTypes.COUPON_REDEEMED, connectorId, instanceId, receivedAt)
                    .coupon(coupon);
            events.add(redeemed.build());
        }
        return events;
    }

    /** The {@code store.purchased} event of this ticket. */
    CustomerEvent toEvent(String connectorId, String instanceId, String brand, Instant receivedAt) {
        return start(eventId(brand, storeId, sn), EventTypes.STORE_PURCHASED, connectorId, instanceId, receivedAt)
                .order(new Order(orderId(storeId, sn), status, CURRENCY, totalMinor, lines))
                .coupon(coupons.size() == 1 ? coupons.get(0) : null)
                .build();
    }

    private CustomerEvent.Builder start(String id, String type, String connectorId, String instanceId, Instant receivedAt) {
        CustomerEvent.Builder event = CustomerEvent.builder(id, type)
                .source(connectorId, instanceId)
                .time(time)
                .receivedAt(receivedAt)
                .extra("storeId", storeId)
                .extra("ticketSn", sn);
        identities.forEach(event::identity);
        attributes.forEach(event::attribute);
        extra.forEach(event::extra);
        return event;
    }

    /**
     * A coupon ticket {@code sn} of {@code storeId} redeemed: its code, batch and value as the till
     * recorded them, that store and that ticket's order.
     */
    static Coupon redeemed(String storeId, String sn, String code, String batch, Long valueMinor) {
        return new Coupon(code, batch, null, valueMinor, valueMinor == null ? null : CURRENCY, storeId, orderId(storeId, sn));
    }

    /**
     * An order line from what a till states. The canonical line has a whole, non-negative quantity:
     * <ul>
     *   <li>a whole quantity is kept; a negative one (a return) becomes positive with a negative
     *       unit price, so quantity times unit price keeps the sign of the money;</li>
     *   <li>a fractional quantity (weighed goods, 0.532 kg) becomes quantity 1 at the line's amount,
     *       {@code lineAmount} when stated, else quantity times unit price.</li>
     * </ul>
     *
     * @param lineAmount the line's amount in yuan, or {@code null} when the source states none
     * @throws IllegalArgumentException when an amount is out of range
     */
    static Order.OrderLine line(String sku, String name, BigDecimal quantity, BigDecimal unitPrice,
                                BigDecimal lineAmount) {
        return line(sku, name, quantity, unitPrice, lineAmount, null);
    }

    /** The same, with the product's category ({@code null} when the source states none). */
    static Order.OrderLine line(String sku, String name, BigDecimal quantity, BigDecimal unitPrice,
                                BigDecimal lineAmount, String category) {
        Fen.bounded(quantity);
        Fen.bounded(unitPrice);
        BigDecimal whole = quantity.stripTrailingZeros();
        if (whole.scale() <= 0) {
            long units;
            try {
                units = whole.longValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("a quantity is out of range");
            }
            long price = Fen.of(unitPrice);
            return new Order.OrderLine(sku, name, Math.abs(units), units < 0 ? -price : price, category);
        }
        BigDecimal amount = lineAmount != null ? lineAmount : quantity.multiply(unitPrice).setScale(2, RoundingMode.HALF_UP);
        return new Order.OrderLine(sku, name, 1, Fen.of(amount), category);
    }
}
