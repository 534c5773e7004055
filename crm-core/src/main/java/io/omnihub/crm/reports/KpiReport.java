package io.omnihub.crm.reports;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The customer KPIs of a period. A customer is an active profile with every profile merged into it;
 * an order counts unless it is cancelled or refunded, and belongs to the period by when it was placed.
 * Amounts are in minor units of one currency and never converted: figures over money come per
 * currency. Rates are null when their denominator is 0. docs/reports.md gives every formula.
 *
 * @param period               the period
 * @param customersAtStart     customers first seen before the period
 * @param customers            customers first seen before the period's end
 * @param newCustomers         customers first seen in the period
 * @param activeCustomers      customers with any event in the period
 * @param retainedCustomers    customers first seen before the period with an event in it
 * @param retention            retained / customers at start
 * @param orders               counted orders placed in the period
 * @param customersWithOrders  customers with at least one counted order in the period
 * @param repeatCustomers      customers with two or more counted orders in the period
 * @param repurchaseRate       repeat customers / customers with orders
 * @param crossChannelCustomers customers with counted orders in the period on two or more channels
 * @param crossChannelShare    cross-channel customers / customers with orders
 * @param lifespanCustomers    customers with a counted order placed before the period's end (ever)
 * @param averageLifespanDays  mean of (last − first counted order placed before the period's end), in days
 * @param currencies           money figures per currency
 * @param channels             revenue per channel (the connector an order came from) and currency
 */
public record KpiReport(ReportPeriod period, long customersAtStart, long customers, long newCustomers, long activeCustomers,
                        long retainedCustomers, BigDecimal retention, long orders, long customersWithOrders, long repeatCustomers,
                        BigDecimal repurchaseRate, long crossChannelCustomers, BigDecimal crossChannelShare, long lifespanCustomers,
                        BigDecimal averageLifespanDays, List<CurrencyFigures> currencies, List<ChannelRevenue> channels) {

    /** Each figure's formula, in words, as the API and the console show it beside the figure. */
    public static final Map<String, String> FORMULAS;

    static {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("customers", "customers first seen before the period's end (merged profiles count once)");
        f.put("customersAtStart", "customers first seen before the period's start");
        f.put("newCustomers", "customers first seen in the period");
        f.put("activeCustomers", "customers with any event in the period");
        f.put("retention", "(active customers − new customers) / customers at start: of the customers known at the start, the share"
                + " still active in the period");
        f.put("repurchaseRate", "customers with 2 or more orders in the period / customers with 1 or more");
        f.put("crossChannelShare", "customers with orders on 2 or more channels in the period / customers with orders in the period");
        f.put("averageOrderValue", "revenue / orders, per currency (orders placed in the period, not cancelled nor refunded)");
        f.put("averageCustomerValue", "revenue / customers with orders, per currency, in the period");
        f.put("averageLifespanDays", "mean over customers with orders of (last order − first order), orders placed before the period's end");
        f.put("clv", "average customer value × average lifespan / period length (value per period × lifespan in periods)");
        f.put("revenuePerChannel", "revenue of orders placed in the period, per channel (connector) and currency; never converted");
        FORMULAS = java.util.Collections.unmodifiableMap(f);
    }

    /**
     * @param currency               ISO 4217 code
     * @param orders                 counted orders in the period in this currency
     * @param revenueMinor           their total
     * @param customers              customers with a counted order in the period in this currency
     * @param averageOrderValueMinor revenue / orders
     * @param averageCustomerValueMinor revenue / customers: what a buying customer spent in the period
     * @param clvMinor               average customer value × average lifespan in periods
     *                               (average lifespan days / period days)
     */
    public record CurrencyFigures(String currency, long orders, long revenueMinor, long customers, BigDecimal averageOrderValueMinor,
                                  BigDecimal averageCustomerValueMinor, BigDecimal clvMinor) {
    }

    /**
     * @param channel      the connector the orders came from ({@code tmall}, {@code pos}, ...)
     * @param currency     ISO 4217 code
     * @param orders       counted orders in the period
     * @param revenueMinor their total
     * @param customers    customers who placed them
     */
    public record ChannelRevenue(String channel, String currency, long orders, long revenueMinor, long customers) {
    }
}
