package io.omnihub.crm;

import java.time.Instant;
import java.util.List;

/**
 * One order of a customer, as the 360 view lists it.
 *
 * @param source      the connector instance it came from ({@code /connectors/tmall/shop-1})
 * @param orderId     the channel's order id
 * @param channel     the connector
 * @param state       {@code created}, {@code paid}, {@code shipped}, {@code completed}, {@code cancelled} or {@code refunded}
 * @param status      the channel's own status text, as sent
 * @param currency    ISO 4217 code
 * @param totalMinor  what the buyer pays, in minor units
 * @param orderedAt   when it was placed (earliest event seen for it)
 * @param lastEventAt when its latest event happened
 * @param lines       its lines as the latest event that carried lines reported them; empty when none did
 */
public record OrderView(String source, String orderId, String channel, String state, String status, String currency, long totalMinor,
                        Instant orderedAt, Instant lastEventAt, List<Line> lines) {

    /**
     * One order line.
     *
     * @param sku            the channel's SKU or item id
     * @param name           the product name
     * @param category       the product's category as the channel names it, or null
     * @param quantity       units
     * @param unitPriceMinor price per unit in minor units
     */
    public record Line(String sku, String name, String category, long quantity, long unitPriceMinor) {
    }
}
