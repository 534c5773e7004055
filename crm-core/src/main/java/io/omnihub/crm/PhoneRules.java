package io.omnihub.crm;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How phone numbers are read and which link people, with Google's libphonenumber: a number is
 * parsed (national numbers in {@code region}), validated, written in E.164 and classified. Only the
 * kinds in {@code linkableKinds} link profiles: by default mobiles (and numbers that may be either,
 * as in the US, and personal numbers); a store's fixed line, a toll-free or premium service number
 * identifies no one person and is kept on the profile as unlinked.
 *
 * @param region        ISO 3166 region of numbers written without a country code, e.g. {@code CN}
 * @param linkableKinds libphonenumber's {@code PhoneNumberType} names, lowercase: {@code mobile},
 *                      {@code fixed_line}, {@code fixed_line_or_mobile}, {@code toll_free},
 *                      {@code premium_rate}, {@code shared_cost}, {@code voip},
 *                      {@code personal_number}, {@code pager}, {@code uan}, {@code voicemail}
 */
public record PhoneRules(String region, Set<String> linkableKinds) {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** Numbers read before, per region: parsing is the costly part, and the same numbers come again. */
    private static final java.util.Map<String, Parsed> READ = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int READ_LIMIT = 100_000;

    /** A number as read: E.164 and its kind; {@code e164} null when it is not a valid number. */
    private record Parsed(String e164, String kind) {
        static final Parsed INVALID = new Parsed(null, "unknown");
    }

    /** Mainland China for national numbers; mobiles, either-kind and personal numbers link. */
    public static final PhoneRules DEFAULTS = new PhoneRules("CN", Set.of("mobile", "fixed_line_or_mobile", "personal_number"));

    public PhoneRules {
        region = region.strip().toUpperCase(Locale.ROOT);
        if (!UTIL.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("not a region libphonenumber knows: " + region);
        }
        Set<String> kinds = new TreeSet<>();
        for (String k : linkableKinds) {
            String kind = k.strip().toLowerCase(Locale.ROOT);
            try {
                PhoneNumberUtil.PhoneNumberType.valueOf(kind.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a phone number kind: " + k, e);
            }
            kinds.add(kind);
        }
        linkableKinds = Set.copyOf(kinds);
    }

    /** The number in E.164 when it is a valid phone number; empty when it is not one. */
    public Optional<String> e164(String raw) {
        return Optional.ofNullable(read(raw).e164());
    }

    /** The kind of a number ({@code mobile}, {@code fixed_line}, ...); {@code unknown} when it is not valid. */
    public String kind(String number) {
        return read(number).kind();
    }

    /** Whether a number of this kind links profiles. */
    public boolean linkable(String number) {
        return linkableKinds.contains(kind(number));
    }

    private Parsed read(String raw) {
        if (raw == null || raw.isBlank() || raw.length() > 64) {
            return Parsed.INVALID;
        }
        String key = region + ' ' + raw;
        Parsed known = READ.get(key);
        if (known != null) {
            return known;
        }
        Parsed parsed;
        try {
            PhoneNumber n = UTIL.parse(raw.strip(), region);
            parsed = UTIL.isValidNumber(n)
                    ? new Parsed(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164), UTIL.getNumberType(n).name().toLowerCase(Locale.ROOT))
                    : Parsed.INVALID;
        } catch (NumberParseException e) {
            parsed = Parsed.INVALID;
        }
        if (READ.size() >= READ_LIMIT) {
            READ.clear();
        }
        READ.put(key, parsed);
        return parsed;
    }
}
