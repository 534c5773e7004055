package io.omnihub.hub.reports;

import io.omnihub.crm.reports.AttributionReport;
import io.omnihub.crm.reports.JourneyFunnel;
import io.omnihub.crm.reports.KpiReport;
import java.util.List;
import java.util.Map;

/**
 * Reports as CSV (RFC 4180, a header row, CRLF line ends): one row per figure, with the columns a
 * spreadsheet filters on. Every file starts with the period it covers.
 */
public final class ReportCsv {

    private ReportCsv() {
    }

    /** Columns: figure, channel, currency, value, formula. */
    public static String kpis(KpiReport k) {
        Rows rows = new Rows("figure", "channel", "currency", "value", "formula");
        Map<String, String> f = KpiReport.FORMULAS;
        rows.add("from", "", "", k.period().from(), "");
        rows.add("to", "", "", k.period().to(), "the period's end, excluded");
        rows.add("customers", "", "", k.customers(), f.get("customers"));
        rows.add("customersAtStart", "", "", k.customersAtStart(), f.get("customersAtStart"));
        rows.add("newCustomers", "", "", k.newCustomers(), f.get("newCustomers"));
        rows.add("activeCustomers", "", "", k.activeCustomers(), f.get("activeCustomers"));
        rows.add("retainedCustomers", "", "", k.retainedCustomers(), "customers at start who were active in the period");
        rows.add("retention", "", "", k.retention(), f.get("retention"));
        rows.add("orders", "", "", k.orders(), "orders placed in the period, not cancelled nor refunded");
        rows.add("customersWithOrders", "", "", k.customersWithOrders(), "");
        rows.add("repeatCustomers", "", "", k.repeatCustomers(), "customers with 2 or more orders in the period");
        rows.add("repurchaseRate", "", "", k.repurchaseRate(), f.get("repurchaseRate"));
        rows.add("crossChannelCustomers", "", "", k.crossChannelCustomers(), "");
        rows.add("crossChannelShare", "", "", k.crossChannelShare(), f.get("crossChannelShare"));
        rows.add("averageLifespanDays", "", "", k.averageLifespanDays(), f.get("averageLifespanDays"));
        for (KpiReport.CurrencyFigures c : k.currencies()) {
            rows.add("orders", "", c.currency(), c.orders(), "");
            rows.add("revenueMinor", "", c.currency(), c.revenueMinor(), "");
            rows.add("customersWithOrders", "", c.currency(), c.customers(), "");
            rows.add("averageOrderValueMinor", "", c.currency(), c.averageOrderValueMinor(), f.get("averageOrderValue"));
            rows.add("averageCustomerValueMinor", "", c.currency(), c.averageCustomerValueMinor(), f.get("averageCustomerValue"));
            rows.add("clvMinor", "", c.currency(), c.clvMinor(), f.get("clv"));
        }
        for (KpiReport.ChannelRevenue c : k.channels()) {
            rows.add("channelOrders", c.channel(), c.currency(), c.orders(), "");
            rows.add("channelRevenueMinor", c.channel(), c.currency(), c.revenueMinor(), f.get("revenuePerChannel"));
        }
        return rows.toString();
    }

    /** Columns: journey, from, to, stage, detail, count. */
    public static String funnel(JourneyFunnel j) {
        Rows rows = new Rows("journey", "from", "to", "stage", "detail", "count");
        Object[] head = {j.journey(), j.period().from(), j.period().to()};
        rows.prefixed(head, "enrolled", "", j.enrolled());
        rows.prefixed(head, "customers", "", j.customers());
        rows.prefixed(head, "reached", "at least one message sent", j.reached());
        j.sent().forEach((channel, n) -> rows.prefixed(head, "sent", channel, n));
        j.suppressed().forEach((guard, n) -> rows.prefixed(head, "suppressed", guard, n));
        rows.prefixed(head, "failed", "", j.failed());
        rows.prefixed(head, "pending", "", j.pending());
        if (j.goal() != null) {
            rows.prefixed(head, "converted", j.goal().event() + " within " + j.goal().within(), j.converted());
            rows.prefixed(head, "conversionRate", "converted / enrollments on a version with the goal", j.conversionRate());
        }
        return rows.toString();
    }

    /** Columns: model, from, to, journey, channel, currency, orders, revenue (minor units), removal effect and share (Markov). */
    public static String attribution(AttributionReport a) {
        Rows rows = new Rows("model", "from", "to", "journey", "channel", "currency", "orders", "revenueMinor", "removalEffect", "share");
        String model = a.model().id();
        Map<String, AttributionReport.Effect> effects = new java.util.HashMap<>();
        a.effects().forEach(e -> effects.put(e.channel(), e));
        for (AttributionReport.Credit c : a.credits()) {
            AttributionReport.Effect e = effects.get(c.channel());
            rows.add(model, a.period().from(), a.period().to(), c.journey(), c.channel(), c.currency(), c.orders(), c.revenueMinor(),
                    e == null ? null : e.removalEffect(), e == null ? null : e.share());
        }
        for (AttributionReport.Total t : a.attributed()) {
            rows.add(model, a.period().from(), a.period().to(), "(all attributed)", "", t.currency(), t.orders(), t.revenueMinor(), null, null);
        }
        for (AttributionReport.Total t : a.orders()) {
            rows.add(model, a.period().from(), a.period().to(), "(all orders)", "", t.currency(), t.orders(), t.revenueMinor(), null, null);
        }
        return rows.toString();
    }

    /** CSV rows with quoting where a value needs it. */
    private static final class Rows {
        private final StringBuilder out = new StringBuilder();

        Rows(String... header) {
            line(List.of((Object[]) header));
        }

        void prefixed(Object[] head, Object... rest) {
            Object[] all = new Object[head.length + rest.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(rest, 0, all, head.length, rest.length);
            line(java.util.Arrays.asList(all));
        }

        void add(Object... values) {
            line(java.util.Arrays.asList(values));
        }

        private void line(List<Object> values) {
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(cell(values.get(i)));
            }
            out.append("\r\n");
        }

        private static String cell(Object value) {
            if (value == null) {
                return "";
            }
            String s = value instanceof java.math.BigDecimal d ? d.toPlainString() : value.toString();
            // a leading =, +, - or @ would run as a formula in a spreadsheet: quote it behind an apostrophe
            if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !(value instanceof Number)) {
                s = "'" + s;
            }
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                return '"' + s.replace("\"", "\"\"") + '"';
            }
            return s;
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
