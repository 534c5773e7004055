package io.omnihub.routes.broker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data in text shown to operators or written to logs: phone numbers keep their first
 * three and last two digits, channel ids (openids, unionids, external user ids) their first and last
 * four characters.
 */
public final class PersonalDataMask {

    private static final Pattern PHONE = Pattern.compile("(?<![0-9A-Za-z])(\\+?86)?(1[3-9][0-9])([0-9]{6})([0-9]{2})(?![0-9])");
    // Opaque ids as channels issue them: 20+ characters of base64url-ish alphabet mixing letters and digits.
    private static final Pattern CHANNEL_ID = Pattern.compile("(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{4})([A-Za-z0-9_-]{12,})([A-Za-z0-9_-]{4})(?![A-Za-z0-9_-])");

    private PersonalDataMask() {
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String phonesMasked = PHONE.matcher(text).replaceAll(m ->
                Matcher.quoteReplacement((m.group(1) == null ? "" : m.group(1)) + m.group(2) + "******" + m.group(4)));
        return CHANNEL_ID.matcher(phonesMasked).replaceAll(m -> {
            String whole = m.group();
            boolean looksLikeId = whole.chars().anyMatch(Character::isDigit) && whole.chars().anyMatch(Character::isLetter);
            return Matcher.quoteReplacement(looksLikeId ? m.group(1) + "****" + m.group(3) : whole);
        });
    }
}
