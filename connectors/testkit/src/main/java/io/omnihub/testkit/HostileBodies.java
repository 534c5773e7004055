package io.omnihub.testkit;

import io.omnihub.connector.errors.ConnectorException;
import io.omnihub.testkit.hostile.HostileChecks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bodies rule {@code webhook-hostile-body-contained} signs and hands every connector: the
 * classic attacks on XML and JSON parsers and the malformed bytes a channel or a proxy may send.
 * Those that refer to something outside point at {@link #PROBE_PATH} on the kit's WireMock server,
 * so the rule sees whether anything was fetched.
 */
final class HostileBodies {

    /** Where the bodies' external references point, under the kit's WireMock server. */
    static final String PROBE_PATH = "/hostile-probe";

    private HostileBodies() {
    }

    /** The bodies by what they are, their references pointing at {@code baseUrl + PROBE_PATH}. */
    static Map<String, byte[]> all(String baseUrl) {
        String probe = baseUrl + PROBE_PATH;
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("XML with an external entity", utf8("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \""
                + probe + "/entity\">]><xml><ToUserName>&xxe;</ToUserName><MsgType>text</MsgType></xml>"));
        bodies.put("XML with an external DTD", utf8("<?xml version=\"1.0\"?><!DOCTYPE xml SYSTEM \"" + probe
                + "/dtd\"><xml><MsgType>text</MsgType></xml>"));
        bodies.put("XML with a parameter entity", utf8("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY % p SYSTEM \""
                + probe + "/parameter\"> %p;]><xml/>"));
        bodies.put("XML with an XInclude", utf8("<xml xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\""
                + probe + "/xinclude\" parse=\"text\"/></xml>"));
        bodies.put("an XML entity bomb", utf8(entityBomb()));
        bodies.put("JSON nested 100000 deep", utf8("[".repeat(100_000) + "]".repeat(100_000)));
        bodies.put("JSON with an exponent in the billions", utf8("{\"event\":\"authorize\",\"id\":1e999999999,"
                + "\"amount\":1e999999999,\"time\":-1e999999999,\"content\":{\"create_time\":1e999999999}}"));
        bodies.put("truncated JSON", utf8("{\"event\":\"authorize\",\"content\":{\"text\":\"he"));
        bodies.put("JSON naming a member twice", utf8("{\"event\":\"authorize\",\"event\":\"unauthorize\"}"));
        bodies.put("invalid UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE,
                (byte) 0xC0, (byte) 0xAF, '"', '}'});
        bodies.put("NUL bytes", new byte[] {0, 0, 0, '<', 'x', 'm', 'l', '>', 0, '{', 0, '}'});
        bodies.put("an empty body", new byte[0]);
        bodies.put("half a megabyte of text", utf8("A".repeat(512 * 1024)));
        return bodies;
    }

    /** What is wrong with a typed error's message: too long, or (checked by the rule) a secret in it. */
    static List<String> messageProblems(String what, ConnectorException e) {
        List<String> problems = new ArrayList<>();
        String message = String.valueOf(e.getMessage());
        if (message.length() > HostileChecks.MAX_MESSAGE_LENGTH) {
            problems.add(what + ": the error message has " + message.length() + " characters, more than "
                    + HostileChecks.MAX_MESSAGE_LENGTH + ": " + cut(message));
        }
        return problems;
    }

    /** A message shown in a problem, cut to 200 characters. */
    static String cut(String message) {
        return message == null || message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }

    private static String entityBomb() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY l0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            xml.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        return xml.append("]><xml><Content>&l9;</Content></xml>").toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
