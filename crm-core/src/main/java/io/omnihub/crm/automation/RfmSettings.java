package io.omnihub.crm.automation;

import java.util.List;

/**
 * The RFM score: recency, frequency and monetary value of a customer's orders, each 1 (low) to 5
 * (high), computed when an order event is applied and by the daily {@link SegmentSweep} (so recency
 * decays without new orders), and stored as scores {@code rfm_recency},
 * {@code rfm_frequency}, {@code rfm_monetary} and {@code rfm} (the three digits, e.g. 545).
 *
 * @param enabled       whether RFM is computed
 * @param currency      the currency whose totals count as monetary value
 * @param recencyDays   four ascending day limits: ordered within the first gives 5, ..., beyond the last 1
 * @param frequency     four ascending order counts: at least the last gives 5, ..., below the first 1
 * @param monetaryMinor four ascending totals in minor units: at least the last gives 5, ..., below the first 1
 */
public record RfmSettings(boolean enabled, String currency, List<Long> recencyDays, List<Long> frequency, List<Long> monetaryMinor) {

    public static final RfmSettings DEFAULT = new RfmSettings(true, "CNY",
            List.of(30L, 90L, 180L, 365L), List.of(2L, 4L, 8L, 16L), List.of(50_000L, 200_000L, 500_000L, 1_000_000L));

    /** 5 within the first recency limit, 1 beyond the last. */
    int recencyScore(long days) {
        for (int i = 0; i < recencyDays.size(); i++) {
            if (days <= recencyDays.get(i)) {
                return 5 - i;
            }
        }
        return 1;
    }

    static int ascendingScore(List<Long> limits, long value) {
        int score = 1;
        for (Long limit : limits) {
            if (value >= limit) {
                score++;
            }
        }
        return score;
    }
}
