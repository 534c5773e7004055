package io.omnihub.connectors.douyin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.omnihub.connector.errors.BadInputException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
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

    /**
     * The latest time a field may state, in seconds: the end of year 9999, the last an RFC 3339
     * time can hold. Later values are treated as absent.
     */
    static final long MAX_EPOCH_SECONDS = 253_402_300_799L;
    /** How much of a value a message quotes (ids, keys): enough to recognise, never a whole field. */
    static final int QUOTE_LIMIT = 64;

    /**
     * Reads JSON strictly: a member named twice is refused (which of two {@code p_id}s or
     * {@code from_user_id}s counts must not be left to the parser).
     */
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private DouyinJson() {
    }

    /**
     * Parses {@code bytes}, which must be UTF-8 (RFC 8259: JSON between systems is UTF-8, and both
     * channels send nothing else); an {@link IOException} when they are not one JSON value.
     */
    static JsonNode read(byte[] bytes) throws IOException {
        requireUtf8(bytes);
        JsonNode node = tree(bytes);
        if (node == null || node.isMissingNode()) {
            throw new JsonProcessingException("empty body") {
            };
        }
        return node;
    }

    /**
     * Reads one JSON value. A number whose exponent is beyond what {@code BigDecimal}
     * takes ({@code 1e2147483648}) is a parse error like any other, not the unchecked
     * {@link NumberFormatException} Jackson lets through.
     */
    static JsonNode tree(byte[] json) throws IOException {
        try {
            return MAPPER.readTree(json);
        } catch (NumberFormatException e) {
            throw new JsonParseException(null, "a number is out of range");
        }
    }

    /**
     * Refuses bytes that are not well-formed UTF-8 (overlong forms, surrogates, stray bytes, other
     * encodings), which the JSON parser would otherwise decode leniently.
     */
    private static void requireUtf8(byte[] bytes) throws IOException {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new JsonParseException(null, "not valid UTF-8");
        }
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
                JsonNode parsed = tree(value.asText().getBytes(StandardCharsets.UTF_8));
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
        long seconds = raw >= 100_000_000_000L ? raw / 1000 : raw;
        return seconds > MAX_EPOCH_SECONDS ? Optional.empty() : Optional.of(seconds);
    }

    /** What was wrong with unparsable JSON, without echoing the input. */
    static String problem(IOException e) {
        return e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getClass().getSimpleName();
    }

    /**
     * {@code value} as a message may show it: what kind of value it is, never the value itself,
     * which may be personal data put in the wrong field.
     */
    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "a string of " + value.asText().length() + " characters";
        }
        if (value.isNumber()) {
            return value.isIntegralNumber() ? "an integer beyond 64 bits" : "a decimal number";
        }
        return "a " + value.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    /** How much of a channel's own error text a message quotes. */
    static final int CHANNEL_TEXT_LIMIT = 200;

    /** A channel's error text cut to {@link #CHANNEL_TEXT_LIMIT} characters. */
    static String cut(String text) {
        return text.length() <= CHANNEL_TEXT_LIMIT ? text : text.substring(0, CHANNEL_TEXT_LIMIT) + "...";
    }

    /** {@code text} cut to {@link #QUOTE_LIMIT} characters, for quoting an id or a key in a message. */
    static String quote(String text) {
        return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "...";
    }
}
