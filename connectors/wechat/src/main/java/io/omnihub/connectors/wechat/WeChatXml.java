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

    /** The latest {@code CreateTime} accepted: the end of year 9999, the last an RFC 3339 time can state. */
    static final long MAX_CREATE_TIME = 253_402_300_799L;

    /**
     * {@code CreateTime}: seconds since the epoch, from 0 to {@link #MAX_CREATE_TIME}.
     *
     * @throws BadInputException when it is not such a number; the message does not quote the value,
     *     which could be anything a sender put there
     */
    public long createTime() {
        String text = require("CreateTime");
        long seconds;
        try {
            seconds = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadInputException("WeChat message has a CreateTime that is not a number ("
                    + text.length() + " characters)");
        }
        if (seconds < 0 || seconds > MAX_CREATE_TIME) {
            throw new BadInputException("WeChat message has a CreateTime out of range (before 1970 or after 9999)");
        }
        return seconds;
    }
}
