package io.omnihub.connector.event;

/** The canonical event types (the CloudEvents {@code type} attribute). */
public final class EventTypes {

    public static final String CUSTOMER_FOLLOWED = "customer.followed";
    public static final String CUSTOMER_UNFOLLOWED = "customer.unfollowed";
    public static final String MESSAGE_RECEIVED = "message.received";
    public static final String PAGE_VIEWED = "page.viewed";
    public static final String CART_UPDATED = "cart.updated";
    public static final String ORDER_CREATED = "order.created";
    public static final String ORDER_PAID = "order.paid";
    public static final String ORDER_SHIPPED = "order.shipped";
    public static final String ORDER_COMPLETED = "order.completed";
    public static final String ORDER_CANCELLED = "order.cancelled";
    public static final String ORDER_REFUNDED = "order.refunded";
    public static final String STORE_PURCHASED = "store.purchased";
    public static final String TICKET_OPENED = "ticket.opened";
    public static final String TICKET_RESOLVED = "ticket.resolved";
    /** A coupon or voucher was given to the customer (bought, claimed, granted); carries a {@link Coupon}. */
    public static final String COUPON_ISSUED = "coupon.issued";
    /** A coupon or voucher was used (verified at a store, applied to an order); carries a {@link Coupon}. */
    public static final String COUPON_REDEEMED = "coupon.redeemed";
    public static final String PROFILE_UPDATED = "profile.updated";
    /**
     * The person stated consent (an unsubscribe reply or link, a privacy centre); carries a
     * {@link Consent}, e.g. {@link Consent#channelMarketing Consent.channelMarketing("sms", false)}.
     */
    public static final String CONSENT_CHANGED = "consent.changed";
    /** A scan of a QR code, a menu click, a location report: interactions with no better type. */
    public static final String INTERACTION = "interaction.recorded";
    /** Identities seen together by an enrichment lookup; changes the graph, not the timeline. */
    public static final String IDENTITY_LINKED = "identity.linked";
    /**
     * The channel reports what happened to a message the hub sent. {@code extra} says which message
     * ({@code actionId} where the channel echoes it, else the channel's {@code messageId}, which the
     * sender returned as {@link io.omnihub.connector.action.ActionResult#channelReference()}), the
     * {@code channel} and the outcome: {@code status} {@code delivered} or {@code failed}, with the
     * channel's own {@code code}.
     */
    public static final String MESSAGE_DELIVERY = "message.delivery";

    private EventTypes() {
    }
}
