package io.omnihub.crm.reports;

import io.omnihub.crm.jdbc.SqlValues;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads {@link KpiReport}s: a few aggregate queries over customers, the timeline and orders. */
final class KpiReader {

    private static final String FIRST_SEEN = CustomerRoots.CTE + """
            , seen as (
                select r.root, min(t.time) as at from crm_timeline t join root r on r.id = t.customer_id group by r.root
            ), customer as (
                select c.id, coalesce(seen.at, c.created_at) as first_seen from crm_customer c left join seen on seen.root = c.id
                 where c.status = 'active'
            ), active as (
                select distinct r.root from crm_timeline t join root r on r.id = t.customer_id where t.time >= ? and t.time < ?
            )
            select count(*) filter (where first_seen < ?),
                   count(*) filter (where first_seen < ?),
                   count(*) filter (where first_seen >= ? and first_seen < ?),
                   (select count(*) from active),
                   count(*) filter (where first_seen < ? and id in (select root from active))
              from customer
            """;

    private static final String PERIOD_ORDERS = CustomerRoots.CTE + """
            , po as (
                select r.root, o.channel, o.currency, o.total_minor from crm_order o join root r on r.id = o.customer_id
                 where %s and o.ordered_at >= ? and o.ordered_at < ?
            )
            """.formatted(CustomerRoots.COUNTED_ORDER);

    private static final String PER_CUSTOMER = PERIOD_ORDERS + """
            , pc as (select root, count(*) as n, count(distinct channel) as channels from po group by root)
            select (select count(*) from po), count(*), count(*) filter (where n >= 2), count(*) filter (where channels >= 2) from pc
            """;

    private static final String PER_CURRENCY = PERIOD_ORDERS + """
            select currency, count(*), sum(total_minor), count(distinct root) from po group by currency order by currency
            """;

    private static final String PER_CHANNEL = PERIOD_ORDERS + """
            select channel, currency, count(*), sum(total_minor), count(distinct root) from po group by channel, currency
             order by channel, currency
            """;

    private static final String LIFESPAN = CustomerRoots.CTE + """
            , span as (
                select r.root, extract(epoch from max(o.ordered_at) - min(o.ordered_at)) as seconds
                  from crm_order o join root r on r.id = o.customer_id
                 where %s and o.ordered_at < ?
                 group by r.root
            )
            select count(*), coalesce(sum(seconds), 0) from span
            """.formatted(CustomerRoots.COUNTED_ORDER);

    private static final BigDecimal DAY = BigDecimal.valueOf(86_400);

    private KpiReader() {
    }

    static KpiReport read(Connection c, ReportPeriod p) throws SQLException {
        Object from = SqlValues.utc(p.from());
        Object to = SqlValues.utc(p.to());
        long atStart;
        long customers;
        long fresh;
        long active;
        long retained;
        try (ResultSet rs = Queries.run(c, FIRST_SEEN, from, to, from, to, from, to, from)) {
            rs.next();
            atStart = rs.getLong(1);
            customers = rs.getLong(2);
            fresh = rs.getLong(3);
            active = rs.getLong(4);
            retained = rs.getLong(5);
        }
        long orders;
        long buyers;
        long repeat;
        long crossChannel;
        try (ResultSet rs = Queries.run(c, PER_CUSTOMER, from, to)) {
            rs.next();
            orders = rs.getLong(1);
            buyers = rs.getLong(2);
            repeat = rs.getLong(3);
            crossChannel = rs.getLong(4);
        }
        long spanCustomers;
        BigDecimal spanSeconds;
        try (ResultSet rs = Queries.run(c, LIFESPAN, to)) {
            rs.next();
            spanCustomers = rs.getLong(1);
            spanSeconds = rs.getBigDecimal(2);
        }
        BigDecimal lifespanDays = Ratios.div(spanSeconds, BigDecimal.valueOf(spanCustomers).multiply(DAY));
        List<KpiReport.CurrencyFigures> currencies = new ArrayList<>();
        try (ResultSet rs = Queries.run(c, PER_CURRENCY, from, to)) {
            while (rs.next()) {
                long n = rs.getLong(2);
                long revenue = rs.getLong(3);
                long payers = rs.getLong(4);
                BigDecimal customerValue = Ratios.div(BigDecimal.valueOf(revenue), BigDecimal.valueOf(payers));
                // value per period × lifespan in periods, computed exactly before the one rounding
                BigDecimal clv = customerValue == null || lifespanDays == null ? null
                        : Ratios.amount(customerValue.multiply(lifespanDays).divide(p.days(), Ratios.CONTEXT));
                currencies.add(new KpiReport.CurrencyFigures(rs.getString(1), n, revenue, payers,
                        Ratios.amount(BigDecimal.valueOf(revenue).divide(BigDecimal.valueOf(n), Ratios.CONTEXT)),
                        Ratios.amount(customerValue), clv));
            }
        }
        List<KpiReport.ChannelRevenue> channels = new ArrayList<>();
        try (ResultSet rs = Queries.run(c, PER_CHANNEL, from, to)) {
            while (rs.next()) {
                channels.add(new KpiReport.ChannelRevenue(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
        }
        return new KpiReport(p, atStart, customers, fresh, active, retained, Ratios.rate(retained, atStart), orders, buyers, repeat,
                Ratios.rate(repeat, buyers), crossChannel, Ratios.rate(crossChannel, buyers), spanCustomers,
                lifespanDays == null ? null : lifespanDays.setScale(4, java.math.RoundingMode.HALF_EVEN), List.copyOf(currencies),
                List.copyOf(channels));
    }
}
