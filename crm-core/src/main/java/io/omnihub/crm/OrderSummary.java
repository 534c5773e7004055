package io.omnihub.crm;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * @param count                distinct orders (source, order id), whatever their state
 * @param totalMinorByCurrency totals in minor units of orders not cancelled nor refunded
 * @param firstOrderAt         when the first order was placed (earliest event seen for it)
 * @param lastOrderAt          when the latest order was placed
 * @param channels             connectors the orders came from, sorted
 */
public record OrderSummary(long count, Map<String, Long> totalMinorByCurrency, Instant firstOrderAt,
                           Instant lastOrderAt, List<String> channels) {

    public static final OrderSummary EMPTY = new OrderSummary(0, Map.of(), null, null, List.of());
}
