package io.omnihub.connectors.pos;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Yuan amounts as integer fen (CNY minor units), converted exactly with {@link BigDecimal}: tills
 * and Pospal state yuan decimals, the canonical event wants minor units.
 */
final class Fen {

    /** Digits before the decimal point that a number from a till may have. */
    static final int MAX_INTEGER_DIGITS = 20;
    /** Digits after the decimal point that a number from a till may have. */
    static final int MAX_FRACTION_DIGITS = 100;

    private Fen() {
    }

    /**
     * {@code yuan} in fen. A third decimal (weighed goods, some discounts) is rounded half up, as a
     * till rounds to the fen.
     *
     * @throws IllegalArgumentException when the amount does not fit a {@code long}, or is
     *     {@linkplain #bounded out of range}
     */
    static long of(BigDecimal yuan) {
        bounded(yuan);
        try {
            return yuan.setScale(2, RoundingMode.HALF_UP).movePointRight(2).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("an amount is out of range");
        }
    }

    /**
     * {@code value} if it has a size a till could write: at most {@value #MAX_INTEGER_DIGITS} digits
     * before the decimal point and {@value #MAX_FRACTION_DIGITS} after. Checked before any
     * arithmetic: rounding {@code 1e999999999} or {@code 1e-999999999} would take gigabytes.
     *
     * @throws IllegalArgumentException when it is out of that range
     */
    static BigDecimal bounded(BigDecimal value) {
        if (value.signum() != 0
                && ((long) value.precision() - value.scale() > MAX_INTEGER_DIGITS || value.scale() > MAX_FRACTION_DIGITS)) {
            throw new IllegalArgumentException("a number is out of range");
        }
        return value;
    }

    /**
     * Reads a yuan amount as exports write it: {@code 128.50}, {@code ¥1,280.00}, {@code -12.5元}.
     *
     * @throws IllegalArgumentException when {@code text} is not an amount
     */
    static BigDecimal parseYuan(String text) {
        String cleaned = text.strip()
                .replace("¥", "").replace("￥", "").replace("元", "")
                .replace(",", "").replace("，", "").replace(" ", "");
        if (cleaned.isEmpty() || !cleaned.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)")) {
            throw new IllegalArgumentException("not an amount");
        }
        return new BigDecimal(cleaned);
    }
}
