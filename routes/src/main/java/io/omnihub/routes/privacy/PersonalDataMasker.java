package io.omnihub.routes.privacy;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data and secrets in text bound for logs, dead-letter views and audits (DESIGN §8):
 * phone numbers (mainland {@code 1[3-9]} numbers, with or without {@code 86}, and any E.164
 * number), e-mail addresses, WeChat-style ids (openids and unionids, WeCom external user ids), the
 * values of JSON fields that channels use for people (Douyin and 抖店 open ids, Tmall buyer uids and
 * nicks, receivers' names, phones and addresses, Kingdee customer names, phones and addresses,
 * member cards; also inside JSON carried as an escaped string), credentials in query strings and
 * key-value pairs, the literal values of configured secrets, and the values PostgreSQL quotes in its
 * errors ({@code Key (value)=(...)}, {@code Failing row contains (...)}, {@code invalid input syntax
 * for type uuid: "..."}, the inlined parameters of a failed batch entry), which may be any column's.
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

    private static final Pattern EMAIL = Pattern.compile("(?<![\\w.+-])([\\w.+-])[\\w.+-]*@([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)");
    // A JSON member whose name says it holds a person's id or contact, in plain or escaped JSON:
    // "buyer_open_uid":"AAH...", \"receiver_tel\":\"139...\", "FTEL":"0571...", "customerUid":5923...
    private static final Pattern PERSONAL_FIELD = Pattern.compile(
            "(\\\\?\"(?i:[a-z_]*open_?u?id|from_user_id|buyer_nick|nick_?name|receiver(?:_[a-z]+)?|[a-z_]*post_(?:tel|receiver|addr)"
            + "|encrypt_[a-z_]+|e_?mail|phone|mobile|tel|telephone|addr|address|name|customer_?uid|member_?card|card_?no|unionid"
            + "|remark_mobiles|FName|FShortName|FTEL|FADDRESS|FNumber)\\\\?\"\\s*:\\s*)"
            + "(\\\\?\"((?:[^\"\\\\]|\\\\u[0-9a-fA-F]{4})*)\\\\?\"|(-?\\d+))");

    // PostgreSQL's error texts quote the values of the row at fault, whichever column they are from
    // (a name, an address): the values go, the rest of the message stays.
    private static final Pattern PG_KEY_VALUES = Pattern.compile(
            "(Key \\((?:[^()\\n]|\\([^()\\n]*\\))*\\)=\\()(.*)(\\) (?:already exists|is not present in table|is still referenced|conflicts with))");
    private static final Pattern PG_FAILING_ROW = Pattern.compile("(Failing row contains \\()(.*)(\\))");
    private static final Pattern PG_INVALID_INPUT = Pattern.compile(
            "(invalid input (?:syntax|value) for (?:type|enum) [^:\\n]+: |Token |value (?=\"[^\"\\n]*\" is out of range))\"([^\"\\n]*)\"");
    private static final Pattern PG_BATCH_ENTRY = Pattern.compile("(Batch entry \\d+ )(.*?)( was aborted)");
    private static final Pattern SQL_LITERAL = Pattern.compile("'(?:[^']|'')*'");

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
        masked = maskDatabaseValues(masked);
        masked = NAMED_CREDENTIAL.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + SECRET_MASK));
        masked = PERSONAL_FIELD.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + maskedValue(m)));
        masked = EMAIL.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***@" + m.group(2)));
        masked = E164.matcher(masked).replaceAll(m -> Matcher.quoteReplacement("+" + m.group(1) + "*".repeat(m.group(2).length()) + m.group(3)));
        masked = MAINLAND_MOBILE.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(
                (m.group(1) == null ? "" : m.group(1)) + m.group(2) + "****" + m.group(4)));
        masked = WECHAT_ID.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(
                (m.group(1) != null ? m.group(1) : m.group(2)) + "****"));
        return masked;
    }

    private static String maskDatabaseValues(String text) {
        if (!text.contains("Key (") && !text.contains("Failing row") && !text.contains("\"") && !text.contains("Batch entry")) {
            return text;
        }
        String masked = PG_KEY_VALUES.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***" + m.group(3)));
        masked = PG_FAILING_ROW.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***" + m.group(3)));
        masked = PG_INVALID_INPUT.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "\"***\""));
        return PG_BATCH_ENTRY.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + SQL_LITERAL.matcher(m.group(2)).replaceAll("'***'") + m.group(3)));
    }

    // Keeps the quoting as it was, and the first character, so two values can still be told apart.
    private static String maskedValue(MatchResult field) {
        String quoted = field.group(2);
        String value = field.group(3) != null ? field.group(3) : field.group(4);
        if (value.isEmpty() || value.equals(SECRET_MASK)) {
            return quoted;
        }
        String kept = value.startsWith("\\u") && value.length() >= 6 ? value.substring(0, 6) : value.substring(0, 1);
        String body = kept + "***";
        if (field.group(4) != null) {
            return "\"" + body + "\"";
        }
        String quote = quoted.startsWith("\\") ? "\\\"" : "\"";
        return quote + body + quote;
    }
}
