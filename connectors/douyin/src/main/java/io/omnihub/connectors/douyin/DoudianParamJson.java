package io.omnihub.connectors.douyin;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The {@code param_json} of a 抖店 request, written the way the official Go SDK writes it
 * ({@code utils.Marshal}: through a map, so object keys sorted recursively; compact; HTML escaping
 * off). {@code {}} for no parameters.
 *
 * <p>String escaping follows Go's {@code encoding/json}: {@code \"}, {@code \\}, {@code \n},
 * {@code \r}, {@code \t}, other control characters as a lowercase six-character unicode escape,
 * U+2028 and U+2029 escaped too, every other character (Chinese included) written as UTF-8.
 * 抖店 verifies the signature over the {@code param_json} it receives, so what matters is that the
 * signed string is exactly the body sent; following the SDK keeps both what 抖店's own SDKs send.
 */
public final class DoudianParamJson {

    private DoudianParamJson() {
    }

    /** The canonical text of {@code params}; {@code {}} for null or missing. */
    public static String write(JsonNode params) {
        if (params == null || params.isMissingNode() || params.isNull()) {
            return "{}";
        }
        StringBuilder out = new StringBuilder();
        write(params, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            // Go sorts map keys by their UTF-8 bytes.
            names.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(names.get(i), out);
                out.append(':');
                write(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            Iterator<JsonNode> elements = node.elements();
            boolean first = true;
            while (elements.hasNext()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(elements.next(), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            string(node.asText(), out);
        } else if (node.isBigDecimal() || node.isDouble() || node.isFloat()) {
            out.append(node.decimalValue().toPlainString());
        } else if (node.isNumber()) {
            out.append(node.bigIntegerValue());
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else {
            out.append("null");
        }
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
