package io.omnihub.routes.privacy;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data and secrets in text bound for logs (DESIGN §8): phone numbers (mainland
 * {@code 1[3-9]} numbers, with or without {@code 86}, and any E.164 number), WeChat-style ids
 * (openids and unionids, WeCom external user ids), credentials in query strings and key-value pairs,
 * and the literal values of configured secrets.
 *
 * <p>Masking keeps enough to tell two values apart in a log ({@code 138****0000}, {@code oU7b****}),
 * never enough to contact or look up the person.
 */
public final class PersonalDataMasker {

    /** What replaces a secret. */
    public static final String SECRET_MASK = "******";

    // Secrets shorter than this would mask ordinary words and digits everywhere.
    private static final int MIN_SECRET_LENGTH = 4;

    private static final Pattern E164 = Pattern.compile("(?<![\\w+])\\+([1-9]\\d)(\\d{4,11})(\\d{2})(?!\\d)");
    private static final Pattern MAINLAND_MOBILE = Pattern.compile("(?<![\\w+])(86)?(1[3-9]\\d)(\\d{4})(\\d{4})(?!\\d)");
    // WeChat openids and unionids are 28 characters starting with 'o'; WeCom external user ids
    // are about 32 characters starting with 'wm' or 'wo'.
    private static final Pattern WECHAT_ID = Pattern.compile(
            "(?<![A-Za-z0-9_-])(o[A-Za-z0-9_-]{3})[A-Za-z0-9_-]{24}(?![A-Za-z0-9_-])"
            + "|(?<![A-Za-z0-9_-])(w[mo][A-Za-z0-9_-]{2})[A-Za-z0-9_-]{24,36}(?![A-Za-z0-9_-])");
    // Credentials by name, wherever they appear: ?access_token=..., "secret":"...", app-secret=...
    private static final Pattern NAMED_CREDENTIAL = Pattern.compile(
            "(?i)((?:access_token|refresh_token|app[_-]?secret|client[_-]?secret|secret|password|encoding[_-]?aes[_-]?key|token)"
            + "\"?\\s*[=:]\\s*\"?)([^\"&\\s,;}<]{4,})");

    private PersonalDataMasker() {
    }

    /** {@code text} with phone numbers, channel ids and named credentials masked. */
    public static String mask(String text) {
        return mask(text, List.of());
    }

    /** {@code text} with phone numbers, channel ids, named credentials and each of {@code secrets} masked. */
    public static String mask(String text, Collection<String> secrets) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        if (!secrets.isEmpty()) {
            // Longest first, so a secret containing another is masked whole.
            List<String> ordered = secrets.stream()
                    .filter(secret -> secret != null && secret.length() >= MIN_SECRET_LENGTH)
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .toList();
            for (String secret : ordered) {
                if (masked.contains(secret)) {
                    masked = masked.replace(secret, SECRET_MASK);
                }
            }
        }
        masked = NAMED_CREDENTIAL.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + SECRET_MASK));
        masked = E164.matcher(masked).replaceAll(m -> Matcher.quoteReplacement("+" + m.group(1) + "*".repeat(m.group(2).length()) + m.group(3)));
        masked = MAINLAND_MOBILE.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(
                (m.group(1) == null ? "" : m.group(1)) + m.group(2) + "****" + m.group(4)));
        masked = WECHAT_ID.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(
                (m.group(1) != null ? m.group(1) : m.group(2)) + "****"));
        return masked;
    }
}
