package io.omnihub.crm.reports;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** How report figures are rounded: rates to 4 places, amounts in minor units to 2, half-even. */
final class Ratios {
    static final MathContext CONTEXT = new MathContext(34, RoundingMode.HALF_EVEN);

    private Ratios() {
    }

    /** {@code part / whole} to 4 places, or null when {@code whole} is 0 (the rate is undefined). */
    static BigDecimal rate(long part, long whole) {
        return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_EVEN);
    }

    /** An amount in minor units, to 2 places. */
    static BigDecimal amount(BigDecimal exact) {
        return exact.setScale(2, RoundingMode.HALF_EVEN);
    }

    /** {@code a / b}, exact to 34 digits; null when {@code b} is 0. */
    static BigDecimal div(BigDecimal a, BigDecimal b) {
        return b.signum() == 0 ? null : a.divide(b, CONTEXT);
    }
}
