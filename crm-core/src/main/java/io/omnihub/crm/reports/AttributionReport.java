package io.omnihub.crm.reports;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Orders of a period credited to the journey messages that reached their customers. Touches are
 * journey actions the channel accepted (status {@code sent}, at the time it did); orders are the
 * counted orders placed in the period. Credits are per currency; amounts are never converted.
 *
 * @param period       the period the orders were placed in
 * @param model        how orders were credited
 * @param window       last touch: how long before an order a touch still earns it; null for Markov
 * @param orders       counted orders in the period and their revenue, per currency
 * @param attributed   the orders the model credited (last touch: with a touch in the window; Markov:
 *                     the orders that ended a touch path), per currency
 * @param credits      the credit per channel (and journey, for last touch) and currency
 * @param paths        Markov: touch paths in the period (converting and not); 0 for last touch
 * @param convertingPaths Markov: paths that ended in an order
 * @param conversionProbability Markov: P(conversion) of the fitted chain, to 6 places; null for last touch
 * @param effects      Markov: removal effect and share per channel; empty for last touch
 */
public record AttributionReport(ReportPeriod period, Model model, Duration window, List<Total> orders, List<Total> attributed,
                                List<Credit> credits, long paths, long convertingPaths, BigDecimal conversionProbability,
                                List<Effect> effects) {

    /** How orders are credited to touches. */
    public enum Model {
        /** The whole order to the last touch before it within the window. */
        LAST_TOUCH("last-touch"),
        /** Converted orders split over channels by their removal effect in a Markov chain of touch paths. */
        MARKOV("markov");

        private final String id;

        Model(String id) {
            this.id = id;
        }

        /** The name the API uses. */
        public String id() {
            return id;
        }

        /** The model named {@code id} ({@code last-touch}, {@code markov}). */
        public static Model of(String id) {
            for (Model m : values()) {
                if (m.id.equals(id)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("model must be last-touch or markov, not '" + id + "'");
        }
    }

    /** Orders and their revenue in one currency. */
    public record Total(String currency, long orders, long revenueMinor) {
    }

    /**
     * @param journey      the journey whose message earned it (last touch); null for Markov, whose
     *                     credit is per channel
     * @param channel      the connector the message went out on
     * @param currency     ISO 4217 code
     * @param orders       orders credited (whole for last touch, fractional to 4 places for Markov)
     * @param revenueMinor revenue credited, in minor units (to 2 places for Markov)
     */
    public record Credit(String journey, String channel, String currency, BigDecimal orders, BigDecimal revenueMinor) {
    }

    /**
     * @param channel       the connector
     * @param removalEffect 1 − P(conversion without the channel) / P(conversion), to 6 places
     * @param share         removal effect / sum of removal effects, to 6 places
     */
    public record Effect(String channel, BigDecimal removalEffect, BigDecimal share) {
    }
}
