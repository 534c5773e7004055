package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.OptionalLong;

/**
 * How the normalizer reads the JSON TOP sends: objects parsed with {@link TopApiClient#JSON}, scalar
 * fields as trimmed text, and every failure a {@link BadInputException} naming {@code what} was read.
 */
final class TopJson {

    private TopJson() {
    }

    /** {@code json} as an object; anything else (or no JSON at all) is bad input. */
    static JsonNode object(byte[] json, String what) {
        try {
            JsonNode node = TopApiClient.JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new BadInputException(what + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadInputException(what + " is not JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
            // An exponent beyond what BigDecimal takes (1e2147483648), which Jackson lets through unchecked.
            throw new BadInputException(what + " is not JSON: a number is out of range");
        } catch (IOException e) {
            throw new BadInputException(what + " cannot be read: " + e.getMessage());
        }
    }

    /** {@link #text} of a field that must be there. */
    static String require(JsonNode node, String field, String what) {
        String value = text(node, field);
        if (value == null) {
            throw new BadInputException(what + " has no " + field);
        }
        return value;
    }

    /** A scalar field as text (numbers as their digits), or null when absent or blank. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.isBigDecimal() ? plain(value.decimalValue()) : value.asText().trim();
        return text.isEmpty() ? null : text;
    }

    /**
     * A decimal's digits without an exponent, unless that would take more than a few hundred
     * characters ({@code 1e999999999} would take a gigabyte): then as written with its exponent.
     */
    static String plain(BigDecimal value) {
        return Math.abs((long) value.scale()) > 300 ? value.toString() : value.toPlainString();
    }

    /** An amount in fen for an event's extras; null when absent, so the extra is left out. */
    static Long fen(JsonNode node, String field) {
        OptionalLong fen = Yuan.fenOf(node, field);
        return fen.isPresent() ? fen.getAsLong() : null;
    }
}
