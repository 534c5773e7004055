package io.omnihub.connectors.pos;

import java.util.List;

/**
 * A canonical field a CSV column maps to, with its configuration key ({@code columns.<key>}) and
 * the header names looked for by default.
 */
public enum CsvField {
    /** The ticket's number (小票号), unique within its store. Required. */
    TICKET_SN("ticket-sn", List.of("小票号", "ticket_sn")),
    /** The store the ticket was rung up in; required unless {@code store-id} gives a fallback. */
    STORE_ID("store-id", List.of("门店", "store_id")),
    /** When the sale happened, in {@code time-format} and {@code time-zone}. Required. */
    TIME("time", List.of("时间", "time")),
    /** The member's mobile number. */
    MEMBER_PHONE("member-phone", List.of("手机号", "member_phone")),
    /** The member's card number in the {@code brand}'s loyalty programme. */
    MEMBER_CARD("member-card", List.of("会员卡号", "member_card")),
    /** What the ticket comes to, in yuan. Required. */
    TOTAL("total", List.of("金额", "total")),
    /** The line's product code. */
    SKU("sku", List.of("商品编码", "sku")),
    /** The line's product name. */
    NAME("name", List.of("商品名称", "item_name")),
    /** How many units the line has; 1 when absent. */
    QUANTITY("quantity", List.of("数量", "quantity")),
    /** The line's unit price, in yuan. */
    PRICE("price", List.of("单价", "price")),
    /** The line's product category as the till names it (品类). */
    CATEGORY("category", List.of("品类", "商品类别", "category")),
    /** The code of a coupon the ticket redeemed (券码); one per row, several rows may name several. */
    COUPON_CODE("coupon-code", List.of("券码", "优惠券码", "coupon_code")),
    /** The batch or template of that coupon (券批次). */
    COUPON_BATCH("coupon-batch", List.of("券批次", "coupon_batch")),
    /** The face value of that coupon, in yuan (券面额). */
    COUPON_VALUE("coupon-value", List.of("券面额", "coupon_value"));

    /** The prefix of the column mapping keys: {@code columns.ticket-sn}, ... */
    public static final String KEY_PREFIX = "columns.";

    private final String key;
    private final List<String> defaultHeaders;

    CsvField(String key, List<String> defaultHeaders) {
        this.key = key;
        this.defaultHeaders = defaultHeaders;
    }

    /** The configuration key, e.g. {@code columns.ticket-sn}. */
    public String configKey() {
        return KEY_PREFIX + key;
    }

    /** The header names looked for when {@link #configKey()} is not set. */
    public List<String> defaultHeaders() {
        return defaultHeaders;
    }

    /** The fields that describe an order line rather than the ticket. */
    boolean isLineField() {
        return this == SKU || this == NAME || this == QUANTITY || this == PRICE || this == CATEGORY;
    }
}
