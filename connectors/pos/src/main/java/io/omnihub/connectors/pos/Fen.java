package io.omnihub.connectors.pos;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Yuan amounts as integer fen (CNY minor units), converted exactly with {@link BigDecimal}: tills
 * and Pospal state yuan decimals, the canonical event wants minor units.
 */
final class Fen {

    private Fen() {
    }

    /**
     * {@code yuan} in fen. A third decimal (weighed goods, some discounts) is rounded half up, as a
     * till rounds to the fen.
     *
     * @throws IllegalArgumentException when the amount does not fit a {@code long}
     */
    static long of(BigDecimal yuan) {
        try {
            return yuan.setScale(2, RoundingMode.HALF_UP).movePointRight(2).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount " + yuan.toPlainString() + " is out of range");
        }
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
