package io.omnihub.crm.reports;

import io.omnihub.crm.jdbc.SqlValues;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@link AttributionReport}s: loads the period's journey touches and counted orders per
 * customer, then credits the orders in memory (last touch, or the Markov model).
 */
final class AttributionReader {

    private static final String TOUCHES = CustomerRoots.CTE + """
            select r.root::text, a.sent_at, coalesce(a.connector, 'none'), substring(a.origin from 9), a.id
              from crm_action a join root r on r.id = a.customer_id
             where a.status = 'sent' and a.origin like 'journey:%' and a.sent_at >= ? and a.sent_at < ?
            """;

    private static final String ORDERS = CustomerRoots.CTE + """
            select r.root::text, o.ordered_at, o.currency, o.total_minor, o.source, o.order_id
              from crm_order o join root r on r.id = o.customer_id
             where %s and o.ordered_at >= ? and o.ordered_at < ?
            """.formatted(CustomerRoots.COUNTED_ORDER);

    record Touch(String customer, Instant at, String channel, String journey, String id) {
    }

    record Order(String customer, Instant at, String currency, long totalMinor, String source, String id) {
    }

    private AttributionReader() {
    }

    static AttributionReport read(Connection c, ReportPeriod p, AttributionReport.Model model, Duration window) throws SQLException {
        Instant touchesFrom = model == AttributionReport.Model.LAST_TOUCH ? p.from().minus(window) : p.from();
        Map<String, List<Touch>> touches = new LinkedHashMap<>();
        try (ResultSet rs = Queries.run(c, TOUCHES, SqlValues.utc(touchesFrom), SqlValues.utc(p.to()))) {
            while (rs.next()) {
                Touch t = new Touch(rs.getString(1), SqlValues.instant(rs, 2), rs.getString(3), rs.getString(4), rs.getString(5));
                touches.computeIfAbsent(t.customer(), k -> new ArrayList<>()).add(t);
            }
        }
        Map<String, List<Order>> orders = new LinkedHashMap<>();
        try (ResultSet rs = Queries.run(c, ORDERS, SqlValues.utc(p.from()), SqlValues.utc(p.to()))) {
            while (rs.next()) {
                Order o = new Order(rs.getString(1), SqlValues.instant(rs, 2), rs.getString(3), rs.getLong(4), rs.getString(5),
                        rs.getString(6));
                orders.computeIfAbsent(o.customer(), k -> new ArrayList<>()).add(o);
            }
        }
        touches.values().forEach(l -> l.sort(Comparator.comparing(Touch::at).thenComparing(Touch::id)));
        orders.values().forEach(l -> l.sort(Comparator.comparing(Order::at).thenComparing(Order::source).thenComparing(Order::id)));
        List<AttributionReport.Total> all = totals(orders.values().stream().flatMap(List::stream).toList());
        return model == AttributionReport.Model.LAST_TOUCH
                ? lastTouch(p, window, touches, orders, all)
                : markov(p, touches, orders, all);
    }

    private static AttributionReport lastTouch(ReportPeriod p, Duration window, Map<String, List<Touch>> touches,
                                               Map<String, List<Order>> orders, List<AttributionReport.Total> all) {
        Map<List<String>, long[]> credit = new TreeMap<>(Comparator.<List<String>, String>comparing(k -> k.get(0))
                .thenComparing(k -> k.get(1)).thenComparing(k -> k.get(2)));
        List<Order> attributed = new ArrayList<>();
        orders.forEach((customer, list) -> {
            List<Touch> ts = touches.getOrDefault(customer, List.of());
            for (Order o : list) {
                Touch last = null;
                for (Touch t : ts) {
                    // a touch at the order's very instant counts: the message came before the click that paid
                    if (!t.at().isAfter(o.at()) && t.at().isAfter(o.at().minus(window))) {
                        last = t;
                    }
                }
                if (last != null) {
                    attributed.add(o);
                    long[] sum = credit.computeIfAbsent(List.of(last.journey(), last.channel(), o.currency()), k -> new long[2]);
                    sum[0]++;
                    sum[1] += o.totalMinor();
                }
            }
        });
        List<AttributionReport.Credit> credits = new ArrayList<>();
        credit.forEach((k, v) -> credits.add(new AttributionReport.Credit(k.get(0), k.get(1), k.get(2), BigDecimal.valueOf(v[0]),
                BigDecimal.valueOf(v[1]).setScale(2))));
        return new AttributionReport(p, AttributionReport.Model.LAST_TOUCH, window, all, totals(attributed), List.copyOf(credits), 0, 0,
                null, List.of());
    }

    /**
     * Cuts each customer's touches into paths: the touches since the previous order (or the period's
     * start) up to an order make a converting path ending in that order; touches after the last order
     * make a path that ends in null. An order with no touch since the previous one is not on any path.
     */
    private static AttributionReport markov(ReportPeriod p, Map<String, List<Touch>> touches, Map<String, List<Order>> orders,
                                            List<AttributionReport.Total> all) {
        List<MarkovRemovalEffects.Path> paths = new ArrayList<>();
        List<Order> converting = new ArrayList<>();
        touches.forEach((customer, ts) -> {
            List<Order> os = orders.getOrDefault(customer, List.of());
            List<String> path = new ArrayList<>();
            int i = 0;
            for (Order o : os) {
                while (i < ts.size() && !ts.get(i).at().isAfter(o.at())) {
                    path.add(ts.get(i++).channel());
                }
                if (!path.isEmpty()) {
                    paths.add(new MarkovRemovalEffects.Path(path, true));
                    converting.add(o);
                    path = new ArrayList<>();
                }
            }
            while (i < ts.size()) {
                path.add(ts.get(i++).channel());
            }
            if (!path.isEmpty()) {
                paths.add(new MarkovRemovalEffects.Path(path, false));
            }
        });
        MarkovRemovalEffects.Result fit = MarkovRemovalEffects.of(paths);
        List<AttributionReport.Total> attributed = totals(converting);
        List<AttributionReport.Credit> credits = new ArrayList<>();
        List<AttributionReport.Effect> effects = new ArrayList<>();
        fit.shares().forEach((channel, share) -> {
            effects.add(new AttributionReport.Effect(channel, six(fit.removalEffects().get(channel)), six(share)));
            for (AttributionReport.Total t : attributed) {
                BigDecimal s = BigDecimal.valueOf(share);
                credits.add(new AttributionReport.Credit(null, channel, t.currency(),
                        s.multiply(BigDecimal.valueOf(t.orders())).setScale(4, RoundingMode.HALF_EVEN),
                        Ratios.amount(s.multiply(BigDecimal.valueOf(t.revenueMinor())))));
            }
        });
        return new AttributionReport(p, AttributionReport.Model.MARKOV, null, all, attributed, List.copyOf(credits), paths.size(),
                converting.size(), six(fit.conversionProbability()), List.copyOf(effects));
    }

    private static BigDecimal six(double v) {
        return BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN);
    }

    private static List<AttributionReport.Total> totals(List<Order> orders) {
        Map<String, long[]> by = new TreeMap<>();
        for (Order o : orders) {
            long[] sum = by.computeIfAbsent(o.currency(), k -> new long[2]);
            sum[0]++;
            sum[1] += o.totalMinor();
        }
        List<AttributionReport.Total> out = new ArrayList<>();
        by.forEach((cur, v) -> out.add(new AttributionReport.Total(cur, v[0], v[1])));
        return List.copyOf(out);
    }
}
