package io.omnihub.connectors.douyin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.omnihub.connector.errors.BadInputException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How this plugin reads the JSON Douyin and 抖店 send: with a nesting limit, without trailing junk,
 * and never through {@code double}: ids such as 抖店's int64 {@code p_id} and amounts in fen are read
 * as exact integers or kept as their digits.
 */
final class DouyinJson {

    /** Deeper than any push or API answer either channel sends; refuses JSON bombs early. */
    static final int MAX_DEPTH = 64;

    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private DouyinJson() {
    }

    /** Parses {@code bytes}; an {@link IOException} when they are not one JSON value. */
    static JsonNode read(byte[] bytes) throws IOException {
        JsonNode node = MAPPER.readTree(bytes);
        if (node == null || node.isMissingNode()) {
            throw new JsonProcessingException("empty body") {
            };
        }
        return node;
    }

    /**
     * A field that the channel sends either as a JSON object or as a string holding one (Douyin's
     * {@code content}, 抖店's {@code data}).
     *
     * @throws BadInputException when it is a string that holds no JSON object, or neither form
     */
    static Optional<JsonNode> objectOrJsonString(JsonNode parent, String field, String what) {
        JsonNode value = parent.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (value.isObject()) {
            return Optional.of(value);
        }
        if (value.isTextual()) {
            if (value.asText().isBlank()) {
                return Optional.empty();
            }
            try {
                JsonNode parsed = MAPPER.readTree(value.asText());
                if (parsed != null && parsed.isObject()) {
                    return Optional.of(parsed);
                }
            } catch (IOException e) {
                // falls through to the precise message below
            }
            throw new BadInputException(what + " '" + field + "' is a string but not a JSON object");
        }
        throw new BadInputException(what + " '" + field + "' must be a JSON object or a JSON string, not " + value.getNodeType());
    }

    /** The text of {@code field}, stripped; empty when absent, null or blank. Numbers give their digits. */
    static String text(JsonNode parent, String field) {
        JsonNode value = parent.path(field);
        if (value.isMissingNode() || value.isNull() || value.isContainerNode()) {
            return "";
        }
        return value.asText("").strip();
    }

    /**
     * An integer field (JSON integer or a string of digits), exactly; empty when absent or blank.
     *
     * @throws BadInputException when present but not an integer that fits 64 bits (a decimal, text)
     */
    static OptionalLong integer(JsonNode parent, String field, String what) {
        JsonNode value = parent.path(field);
        if (value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            return OptionalLong.empty();
        }
        if (value.isIntegralNumber()) {
            if (value.canConvertToLong()) {
                return OptionalLong.of(value.longValue());
            }
        } else if (value.isTextual() && value.asText().strip().matches("-?[0-9]{1,19}")) {
            BigInteger parsed = new BigInteger(value.asText().strip());
            if (parsed.bitLength() < 64) {
                return OptionalLong.of(parsed.longValue());
            }
        }
        throw new BadInputException(what + " '" + field + "' must be a whole number, not " + describe(value));
    }

    /** An id the channel sends as an int64 number or as a string, as its exact digits; empty when absent. */
    static String id(JsonNode parent, String field) {
        JsonNode value = parent.path(field);
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        return text(parent, field);
    }

    /**
     * Unix seconds from a time field sent as seconds or, like Douyin's im {@code create_time}, as
     * milliseconds (a JSON integer or a string of digits); empty when absent, zero or anything else.
     * Lenient on purpose: a time in an unexpected format is not worth parking a record for.
     */
    static Optional<Long> epochSeconds(JsonNode parent, String field) {
        JsonNode value = parent.path(field);
        long raw = 0;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            raw = value.longValue();
        } else if (value.isTextual() && value.asText().strip().matches("[0-9]{1,15}")) {
            raw = Long.parseLong(value.asText().strip());
        }
        if (raw <= 0) {
            return Optional.empty();
        }
        return Optional.of(raw >= 100_000_000_000L ? raw / 1000 : raw);
    }

    /** What was wrong with unparsable JSON, without echoing the input. */
    static String problem(IOException e) {
        return e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getClass().getSimpleName();
    }

    private static String describe(JsonNode value) {
        String text = value.isTextual() ? "'" + value.asText() + "'" : value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
