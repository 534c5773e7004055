package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import java.math.BigDecimal;
import java.util.OptionalLong;

/**
 * TOP's amounts: yuan as decimal strings ({@code "200.07"}), sometimes as JSON numbers in TMC
 * messages. Converted to fen exactly, through {@link BigDecimal}, never through {@code double}.
 */
public final class Yuan {

    /** No amount in yuan is written with more characters; longer text is refused before it is parsed. */
    static final int MAX_TEXT = 64;

    private Yuan() {
    }

    /**
     * {@code yuan} in fen: {@code "200.07"} is 20007, {@code "0.1"} is 10, {@code "1999"} is 199900.
     *
     * @throws BadInputException naming {@code field} when the text is no amount or has fractions of a
     *     fen; the message never quotes the text, which may be anything a sender put there
     */
    public static long toFen(String yuan, String field) {
        if (yuan.length() > MAX_TEXT) {
            throw new BadInputException("'" + field + "' is not an amount in yuan (" + yuan.length() + " characters)");
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(yuan.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException("'" + field + "' is not an amount in yuan (" + yuan.length() + " characters)");
        }
        return toFen(amount, field);
    }

    /**
     * {@code yuan} in fen, exactly. Checked by precision and scale before any arithmetic, so that an
     * exponent in the billions ({@code 1e999999999}) costs nothing instead of gigabytes.
     *
     * @throws BadInputException naming {@code field} when it is out of range or has fractions of a fen
     */
    public static long toFen(BigDecimal yuan, String field) {
        if (yuan.signum() == 0) {
            return 0;
        }
        // Digits before the decimal point; a long of fen holds 16 of them.
        if ((long) yuan.precision() - yuan.scale() > 16) {
            throw new BadInputException("'" + field + "' is an amount beyond range");
        }
        if (yuan.scale() > 2 && yuan.stripTrailingZeros().scale() > 2) {
            throw new BadInputException("'" + field + "' is not a whole number of fen");
        }
        return yuan.movePointRight(2).longValueExact();
    }

    /** The amount in field {@code name} of {@code node} in fen; empty when absent or blank. */
    public static OptionalLong fenOf(JsonNode node, String name) {
        JsonNode value = node.path(name);
        if (value.isNumber()) {
            return OptionalLong.of(toFen(value.decimalValue(), name));
        }
        String text = value.isTextual() ? value.textValue().trim() : "";
        return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(toFen(text, name));
    }
}
