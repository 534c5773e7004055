package io.omnihub.connectors.email;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.TransientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders an {@code email.send} payload into {@link EmailContent}.
 *
 * <p>The subject and bodies come inline ({@code subject}, {@code text}, {@code html}) or from a named
 * template in the instance's {@code template-dir}: {@code <template>.subject}, {@code <template>.txt}
 * and {@code <template>.html}, UTF-8, the text or the HTML file or both. Placeholders are
 * {@code ${name}}, filled from the payload's {@code params} and {@code ${unsubscribe_url}}; in HTML
 * the values are escaped. A placeholder without a value refuses the action rather than sending a
 * mail with a hole in it. (Not {@code {{ }}}: the automation engine evaluates that in payloads before
 * the action is sent.)
 *
 * <p>Every mail gets an unsubscribe link: where a body does not place {@code ${unsubscribe_url}}
 * itself, a footer with it is appended. A mail without HTML gets a text part only; one without text
 * gets a text part derived from nothing but the subject and the link, never an empty one.
 */
final class EmailTemplates {

    static final String UNSUBSCRIBE_URL = "unsubscribe_url";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{\\s*([A-Za-z0-9_.-]+)\\s*}");
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final String FOOTER_TEXT = "退订 / Unsubscribe: ";
    private static final String FOOTER_LINK = "退订 / Unsubscribe";

    private final Optional<Path> templateDir;

    EmailTemplates(Optional<Path> templateDir) {
        this.templateDir = templateDir;
    }

    /**
     * @throws BadInputException for a payload that can never render: no subject, no body, an unknown
     *     template, a placeholder without a value
     */
    EmailContent render(Map<String, Object> payload, String unsubscribeUrl) {
        Map<String, String> values = values(payload.get("params"));
        values.put(UNSUBSCRIBE_URL, unsubscribeUrl);
        String subject;
        String text;
        String html;
        Object template = payload.get("template");
        if (template != null) {
            String name = String.valueOf(template);
            subject = file(name, ".subject").orElseThrow(() -> new BadInputException("template '" + name + "' has no " + name + ".subject"));
            text = file(name, ".txt").orElse(null);
            html = file(name, ".html").orElse(null);
        } else {
            subject = string(payload, "subject");
            text = string(payload, "text");
            html = string(payload, "html");
        }
        if (subject == null || subject.isBlank()) {
            throw new BadInputException("action payload needs 'subject' (or a 'template')");
        }
        if (text == null && html == null) {
            throw new BadInputException("action payload needs 'text' or 'html' (or a 'template')");
        }
        Set<String> missing = new TreeSet<>();
        String renderedSubject = fill(subject, values, false, missing).replaceAll("[\\r\\n]+", " ").strip();
        String renderedText = text == null ? renderedSubject + "\n" : fill(text, values, false, missing);
        String renderedHtml = html == null ? null : fill(html, values, true, missing);
        if (!missing.isEmpty()) {
            throw new BadInputException("no value for placeholder(s) " + missing + ": add them to the payload's 'params'");
        }
        if (!placesLink(text)) {
            renderedText = renderedText.stripTrailing() + "\n\n--\n" + FOOTER_TEXT + unsubscribeUrl + "\n";
        }
        if (renderedHtml != null && !placesLink(html)) {
            String footer = "<p style=\"font-size:12px;color:#888\"><a href=\"" + escape(unsubscribeUrl) + "\">"
                    + FOOTER_LINK + "</a></p>";
            int body = renderedHtml.toLowerCase(java.util.Locale.ROOT).lastIndexOf("</body>");
            renderedHtml = body < 0 ? renderedHtml + footer : renderedHtml.substring(0, body) + footer + renderedHtml.substring(body);
        }
        return new EmailContent(renderedSubject, renderedText, renderedHtml);
    }

    private static boolean placesLink(String body) {
        if (body == null) {
            return false;
        }
        Matcher m = PLACEHOLDER.matcher(body);
        while (m.find()) {
            if (UNSUBSCRIBE_URL.equals(m.group(1))) {
                return true;
            }
        }
        return false;
    }

    private static String fill(String template, Map<String, String> values, boolean html, Set<String> missing) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                missing.add(m.group(1));
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(html ? escape(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Optional<String> file(String name, String suffix) {
        if (!TEMPLATE_NAME.matcher(name).matches()) {
            throw new BadInputException("template names are letters, digits, '-' and '_': '" + name + "' is not one");
        }
        Path dir = templateDir.orElseThrow(() -> new BadInputException(
                "action names template '" + name + "' but the instance has no template-dir"));
        Path file = dir.resolve(name + suffix);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TransientException("cannot read template file " + file.getFileName() + ": " + e.getMessage());
        }
    }

    private static Map<String, String> values(Object params) {
        Map<String, String> values = new LinkedHashMap<>();
        if (params == null) {
            return values;
        }
        if (!(params instanceof Map<?, ?> map)) {
            throw new BadInputException("action payload 'params' must be an object");
        }
        map.forEach((name, value) -> {
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                throw new BadInputException("template parameter '" + name + "' must be text or a number");
            }
            values.put(String.valueOf(name), value == null ? "" : String.valueOf(value));
        });
        return values;
    }

    private static String string(Map<String, Object> payload, String key) {
        Object value = payload.get(key);
        return value == null ? null : String.valueOf(value);
    }

    /** HTML text and attribute escaping. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
