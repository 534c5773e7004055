package io.omnihub.connector.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * An order as the channel reports it. Amounts are integer minor units (fen for CNY) in
 * {@code currency}: convert yuan strings and decimals exactly, never through {@code double}.
 *
 * @param id          the channel's order id
 * @param status      the channel's status text, kept as sent
 * @param currency    ISO 4217 code, e.g. {@code CNY}
 * @param totalMinor  what the buyer pays, in minor units
 * @param lines       order lines; may be empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Order(String id, String status, String currency, long totalMinor, List<OrderLine> lines) {

    public Order {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(currency, "currency");
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    /**
     * One line of an order.
     *
     * @param sku            the channel's SKU or item id
     * @param name           the product name as shown to the buyer
     * @param quantity       number of units
     * @param unitPriceMinor price per unit in minor units, before order-level discounts
     * @param category       the product's category as the channel names it (a Tmall leaf category
     *                       id, a POS product group, an ERP material group), or {@code null}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OrderLine(String sku, String name, long quantity, long unitPriceMinor, String category) {

        /** A line without a category, as SDK 1.0 built it. */
        public OrderLine(String sku, String name, long quantity, long unitPriceMinor) {
            this(sku, name, quantity, unitPriceMinor, null);
        }
    }
}
