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

    private Yuan() {
    }

    /**
     * {@code yuan} in fen: {@code "200.07"} is 20007, {@code "0.1"} is 10, {@code "1999"} is 199900.
     *
     * @throws BadInputException naming {@code field} when the text is no amount or has fractions of a fen
     */
    public static long toFen(String yuan, String field) {
        try {
            return new BigDecimal(yuan.trim()).movePointRight(2).longValueExact();
        } catch (NumberFormatException e) {
            throw new BadInputException("'" + field + "' is not an amount in yuan: '" + yuan + "'");
        } catch (ArithmeticException e) {
            throw new BadInputException("'" + field + "' is not a whole number of fen: '" + yuan + "'");
        }
    }

    /** The amount in field {@code name} of {@code node} in fen; empty when absent or blank. */
    public static OptionalLong fenOf(JsonNode node, String name) {
        JsonNode value = node.path(name);
        if (value.isNumber()) {
            return OptionalLong.of(toFen(value.decimalValue().toPlainString(), name));
        }
        String text = value.isTextual() ? value.textValue().trim() : "";
        return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(toFen(text, name));
    }
}
