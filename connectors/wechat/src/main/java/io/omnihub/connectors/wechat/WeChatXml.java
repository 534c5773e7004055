package io.omnihub.connectors.wechat;

import io.omnihub.connector.errors.BadInputException;
import java.util.Map;
import java.util.Optional;

/**
 * The top-level fields of a WeChat {@code <xml>} message, by exact element name
 * ({@code FromUserName}, {@code CreateTime}, {@code Event}, ...). Values are kept as sent:
 * CDATA text is not trimmed, since a user's message may begin or end with spaces.
 */
public record WeChatXml(Map<String, String> fields) {

    public WeChatXml {
        fields = Map.copyOf(fields);
    }

    /** The field's value if present and not blank. */
    public Optional<String> get(String name) {
        String value = fields.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** The field's value, trimmed; for ids and keywords where whitespace is never meaningful. */
    public Optional<String> token(String name) {
        return get(name).map(String::strip);
    }

    /** A required id or keyword, trimmed. */
    public String require(String name) {
        return token(name).orElseThrow(() -> new BadInputException("WeChat message has no <" + name + ">"));
    }

    /** {@code CreateTime}: seconds since the epoch. */
    public long createTime() {
        String text = require("CreateTime");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadInputException("WeChat message has a CreateTime that is not a number: " + text);
        }
    }
}
