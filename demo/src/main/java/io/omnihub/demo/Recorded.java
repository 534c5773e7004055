package io.omnihub.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The channels' recorded answers and pushes, as the connectors' own tests hold them (the build puts
 * them under {@code recorded/} in this JAR). The simulated channels start from these and change only
 * the ids, amounts and times of the day being played, so every answer keeps the real shape.
 */
final class Recorded {

    static final ObjectMapper JSON = new ObjectMapper();

    private Recorded() {
    }

    /** The file's text, e.g. {@code wechat/subscribe.xml}. */
    static String text(String path) {
        try (InputStream in = Recorded.class.getResourceAsStream("/recorded/" + path)) {
            if (in == null) {
                throw new IllegalStateException("no recorded channel file " + path + " in the demo JAR");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh, changeable copy of a recorded JSON document. */
    static ObjectNode json(String path) {
        return (ObjectNode) parse(text(path));
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code xml} with the text of element {@code name} (CDATA or plain) replaced by {@code value}. */
    static String element(String xml, String name, String value) {
        String open = "<" + name + ">";
        String close = "</" + name + ">";
        int start = xml.indexOf(open);
        int end = xml.indexOf(close, start);
        if (start < 0 || end < 0) {
            throw new IllegalArgumentException("no <" + name + "> in the recorded XML");
        }
        boolean cdata = xml.startsWith("<![CDATA[", start + open.length());
        String body = cdata ? "<![CDATA[" + value + "]]>" : value;
        return xml.substring(0, start + open.length()) + body + xml.substring(end);
    }
}
