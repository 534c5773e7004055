package io.omnihub.crm;

import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Per-type identity rules (linkable, priority, limit per profile, channel) and blocked values.
 * Immutable and thread-safe. Start from {@link #defaults()} or {@link #builder()} (which starts from
 * the defaults), or read {@link #fromProperties(Map)}. The defaults are documented in crm-core's README.
 */
public final class IdentityPolicy {

    /** The channel of person-level identifiers (phone, email) that belong to no single channel. */
    public static final String GLOBAL = "global";

    /** Values blocked for every type, compared case-insensitively after trimming. */
    public static final List<String> DEFAULT_BLOCKED_VALUES = List.of("null", "undefined", "anonymous", "unknown");
    /** Patterns blocked for every type (full match on the trimmed value): empty, zeros and dashes. */
    public static final List<String> DEFAULT_BLOCKED_PATTERNS = List.of("^[0-]*$");

    private static final int MAX_VALUE_LENGTH = 256;

    private final Map<String, IdentityRule> rules;
    private final IdentityRule defaultRule;
    private final Set<String> blockedValues;            // lowercased
    private final List<Pattern> blockedPatterns;
    private final Map<String, Set<String>> blockedValuesByType;   // lowercased
    private final Map<String, List<Pattern>> blockedPatternsByType;
    private final PhoneRules phones;
    private final SharingRules sharing;

    private IdentityPolicy(Builder b) {
        this.rules = Map.copyOf(b.rules);
        this.defaultRule = b.defaultRule;
        this.blockedValues = Set.copyOf(b.blockedValues);
        this.blockedPatterns = b.blockedPatterns.stream().map(IdentityPolicy::compile).toList();
        Map<String, Set<String>> bv = new LinkedHashMap<>();
        b.blockedValuesByType.forEach((k, v) -> bv.put(k, Set.copyOf(v)));
        this.blockedValuesByType = Map.copyOf(bv);
        Map<String, List<Pattern>> bp = new LinkedHashMap<>();
        b.blockedPatternsByType.forEach((k, v) -> bp.put(k, v.stream().map(IdentityPolicy::compile).toList()));
        this.blockedPatternsByType = Map.copyOf(bp);
        this.phones = b.phones;
        this.sharing = b.sharing;
    }

    private static Pattern compile(String regex) {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    }

    /** The documented defaults (see README). */
    public static IdentityPolicy defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a policy from flat properties (for example Spring's {@code hub.crm.identity.*} bound to a
     * {@code Map<String, String>}), starting from the defaults. Keys:
     * <pre>
     * types.&lt;type&gt;.linkable=true|false
     * types.&lt;type&gt;.priority=90
     * types.&lt;type&gt;.max-per-profile=3
     * types.&lt;type&gt;.per-namespace=true|false
     * types.&lt;type&gt;.channel=wechat
     * types.&lt;type&gt;.blocked-values=+8613800000000,+8613900000000
     * types.&lt;type&gt;.blocked-patterns=^\+8617000.*$            (';'-separated when several)
     * blocked-values=test,demo                                   (added to the defaults)
     * blocked-patterns=^x+$                                       (';'-separated, added to the defaults)
     * default.linkable / default.priority / default.max-per-profile / default.per-namespace
     * phone.region=CN                                             (national numbers are read in this region)
     * phone.linkable-kinds=mobile,fixed_line_or_mobile,personal_number
     * shared.types=phone,email,device_id                          (types watched for shared values)
     * shared.peers=3                    (distinct strong identifiers of one other type before a value is shared)
     * shared.walk-ins=4                 (orders at one store with nothing else before a value is shared)
     * shared.corroborations=2           (orders that corroborate a weak identifier held by another profile; 0: never)
     * </pre>
     * Keys may also be written in camelCase ({@code maxPerProfile}) or with indexed lists
     * ({@code blocked-values[0]=...}).
     *
     * @throws IllegalArgumentException on an unknown key or a bad value
     */
    public static IdentityPolicy fromProperties(Map<String, ?> props) {
        Builder b = builder();
        Map<String, IdentityRule> typeRules = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : new java.util.TreeMap<>(props).entrySet()) {
            String key = canonicalKey(e.getKey());
            String value = e.getValue() == null ? "" : e.getValue().toString().strip();
            String[] parts = key.split("\\.");
            if (parts.length == 1 && parts[0].equals("blocked-values")) {
                splitList(value, ",").forEach(b::blockValue);
            } else if (parts.length == 1 && parts[0].equals("blocked-patterns")) {
                splitList(value, ";").forEach(b::blockPattern);
            } else if (parts.length == 2 && parts[0].equals("default")) {
                b.defaultRule = applyRuleProperty(b.defaultRule, parts[1], value, key);
            } else if (parts.length == 2 && parts[0].equals("phone")) {
                b.phones = switch (parts[1]) {
                    case "region" -> new PhoneRules(value, b.phones.linkableKinds());
                    case "linkable-kinds" -> new PhoneRules(b.phones.region(), new LinkedHashSet<>(splitList(value, ",")));
                    default -> throw new IllegalArgumentException("unknown identity policy property: " + e.getKey());
                };
            } else if (parts.length == 2 && parts[0].equals("shared")) {
                SharingRules r = b.sharing;
                b.sharing = switch (parts[1]) {
                    case "types" -> new SharingRules(new LinkedHashSet<>(splitList(value, ",")), r.peers(), r.walkIns(), r.corroborations());
                    case "peers" -> new SharingRules(r.types(), number(value, key), r.walkIns(), r.corroborations());
                    case "walk-ins" -> new SharingRules(r.types(), r.peers(), number(value, key), r.corroborations());
                    case "corroborations" -> new SharingRules(r.types(), r.peers(), r.walkIns(), number(value, key));
                    default -> throw new IllegalArgumentException("unknown identity policy property: " + e.getKey());
                };
            } else if (parts.length >= 3 && parts[0].equals("types")) {
                String type = String.join(".", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1));
                String prop = parts[parts.length - 1];
                if (prop.equals("blocked-values")) {
                    for (String v : splitList(value, ",")) {
                        b.blockValue(type, v);
                    }
                } else if (prop.equals("blocked-patterns")) {
                    for (String v : splitList(value, ";")) {
                        b.blockPattern(type, v);
                    }
                } else {
                    IdentityRule base = typeRules.computeIfAbsent(type, t -> b.rules.getOrDefault(t, b.defaultRule.withChannel(guessChannel(t))));
                    typeRules.put(type, applyRuleProperty(base, prop, value, key));
                }
            } else {
                throw new IllegalArgumentException("unknown identity policy property: " + e.getKey());
            }
        }
        typeRules.forEach(b::rule);
        return b.build();
    }

    private static String canonicalKey(String raw) {
        String k = raw.strip().replaceAll("\\[\\d+]$", "");
        StringBuilder sb = new StringBuilder();
        for (char c : k.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static List<String> splitList(String value, String sep) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(Pattern.quote(sep))) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static IdentityRule applyRuleProperty(IdentityRule r, String prop, String value, String key) {
        try {
            return switch (prop) {
                case "linkable" -> r.withLinkable(parseBool(value));
                case "priority" -> r.withPriority(Integer.parseInt(value));
                case "max-per-profile", "max" -> r.withMaxPerProfile(Integer.parseInt(value));
                case "per-namespace" -> r.withPerNamespace(parseBool(value));
                case "channel" -> r.withChannel(value);
                default -> throw new IllegalArgumentException("unknown identity policy property: " + key);
            };
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("bad number for " + key + ": " + value, ex);
        }
    }

    private static int number(String value, String key) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("bad number for " + key + ": " + value, ex);
        }
    }

    private static boolean parseBool(String v) {
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("not a boolean: " + v);
    }

    /** The rule for {@code type}; types without a rule get the default rule with a guessed channel. */
    public IdentityRule rule(String type) {
        IdentityRule r = rules.get(type);
        return r != null ? r : defaultRule.withChannel(guessChannel(type));
    }

    /** The configured rules by type (types without one use {@link #defaultRule()}). */
    public Map<String, IdentityRule> rules() {
        return rules;
    }

    public IdentityRule defaultRule() {
        return defaultRule;
    }

    /** The channel of a type, for consent-aware linking. */
    public String channelOf(String type) {
        return rule(type).channel();
    }

    /** Unknown types: the part before the first '_' ({@code jd_pin} is {@code jd}), else global. */
    static String guessChannel(String type) {
        int i = type.indexOf('_');
        return i > 0 ? type.substring(0, i).toLowerCase(Locale.ROOT) : GLOBAL;
    }

    /**
     * The identity as the graph stores it: value trimmed, e-mail lowercased, phone in E.164.
     *
     * @return empty when the value is unusable (not a phone number, not an e-mail address, too long)
     */
    public Optional<Identity> normalize(Identity id) {
        String type = id.type().strip();
        String value = stripNul(id.value()).strip();
        String ns = id.namespace() == null ? null : stripNul(id.namespace()).strip();
        if (type.isEmpty() || value.length() > MAX_VALUE_LENGTH || (ns != null && ns.length() > MAX_VALUE_LENGTH)) {
            return Optional.empty();
        }
        if (type.equals(IdentityTypes.PHONE)) {
            if (value.isEmpty()) {
                return Optional.of(new Identity(type, value, ns));
            }
            Optional<String> e164 = phones.e164(value);
            if (e164.isEmpty()) {
                return Optional.empty();
            }
            value = e164.get();
        } else if (type.equals(IdentityTypes.EMAIL)) {
            value = value.toLowerCase(Locale.ROOT);
            if (!value.isEmpty() && (value.indexOf('@') <= 0 || value.indexOf('@') == value.length() - 1)) {
                return Optional.empty();
            }
        }
        return Optional.of(new Identity(type, value, ns, id.evidence()));
    }

    /** How phone numbers are read and which kinds link. */
    public PhoneRules phones() {
        return phones;
    }

    /** When identifiers count as shared, and when weak evidence is corroborated. */
    public SharingRules sharing() {
        return sharing;
    }

    static String stripNul(String s) {
        return s.indexOf('\0') >= 0 ? s.replace("\0", "") : s;
    }

    /** Whether a (normalized) identity's value is blocked: it never links nor creates a profile. */
    public boolean isBlocked(Identity id) {
        String v = id.value().strip();
        String lower = v.toLowerCase(Locale.ROOT);
        if (blockedValues.contains(lower)) {
            return true;
        }
        Set<String> typed = blockedValuesByType.get(id.type());
        if (typed != null && typed.contains(lower)) {
            return true;
        }
        for (Pattern p : blockedPatterns) {
            if (p.matcher(v).matches()) {
                return true;
            }
        }
        for (Pattern p : blockedPatternsByType.getOrDefault(id.type(), List.of())) {
            if (p.matcher(v).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The highest-priority linkable, non-blocked identity (normalized), ties broken by type, namespace
     * and value: the routes use it as the Artemis message-group key ({@code type:namespace:value}).
     */
    public Optional<Identity> strongest(List<Identity> ids) {
        if (ids == null) {
            return Optional.empty();
        }
        return ids.stream()
                .filter(Objects::nonNull)
                .map(this::normalize)
                .flatMap(Optional::stream)
                .filter(i -> rule(i.type()).linkable() && !isBlocked(i))
                .min(Comparator.<Identity>comparingInt(i -> -rule(i.type()).priority())
                        .thenComparing(Identity::type)
                        .thenComparing(i -> Objects.requireNonNullElse(i.namespace(), ""))
                        .thenComparing(Identity::value));
    }

    /** Builds an {@link IdentityPolicy}; starts from the defaults. */
    public static final class Builder {
        private final Map<String, IdentityRule> rules = new LinkedHashMap<>();
        private IdentityRule defaultRule = new IdentityRule(true, 20, 1, true, GLOBAL);
        private final Set<String> blockedValues = new LinkedHashSet<>();
        private final List<String> blockedPatterns = new ArrayList<>();
        private final Map<String, Set<String>> blockedValuesByType = new LinkedHashMap<>();
        private final Map<String, List<String>> blockedPatternsByType = new LinkedHashMap<>();
        private PhoneRules phones = PhoneRules.DEFAULTS;
        private SharingRules sharing = SharingRules.DEFAULTS;

        private Builder() {
            rules.put(IdentityTypes.WECHAT_UNIONID, IdentityRule.of(100, 1, "wechat"));
            rules.put(IdentityTypes.ERP_CUSTOMER, IdentityRule.of(96, 1, "erp"));
            rules.put(IdentityTypes.MEMBER_CARD, IdentityRule.of(95, 1, "pos"));
            rules.put(IdentityTypes.PHONE, IdentityRule.of(90, 3, GLOBAL));
            rules.put(IdentityTypes.WECOM_EXTERNAL_USERID, IdentityRule.of(85, 5, "wechat"));
            rules.put(IdentityTypes.WECHAT_OPENID, IdentityRule.of(80, 1, "wechat"));
            rules.put(IdentityTypes.TMALL_OUID, IdentityRule.of(70, 1, "tmall"));
            rules.put(IdentityTypes.DOUDIAN_OPENID, IdentityRule.of(70, 1, "douyin"));
            rules.put(IdentityTypes.DOUYIN_OPENID, IdentityRule.of(70, 1, "douyin"));
            rules.put(IdentityTypes.EMAIL, IdentityRule.of(60, 3, GLOBAL));
            rules.put(IdentityTypes.DEVICE_ID, IdentityRule.of(10, 2, GLOBAL));
            DEFAULT_BLOCKED_VALUES.forEach(this::blockValue);
            blockedPatterns.addAll(DEFAULT_BLOCKED_PATTERNS);
            // a country code followed by nothing but zeros
            blockPattern(IdentityTypes.PHONE, "^\\+\\d{1,3}0{5,}$");
        }

        /** Replaces the rule of {@code type}. */
        public Builder rule(String type, IdentityRule rule) {
            rules.put(Objects.requireNonNull(type), Objects.requireNonNull(rule));
            return this;
        }

        /** Changes the rule of {@code type} (the default rule when it has none). */
        public Builder type(String type, UnaryOperator<IdentityRule> change) {
            IdentityRule base = rules.getOrDefault(type, defaultRule.withChannel(guessChannel(type)));
            return rule(type, change.apply(base));
        }

        public Builder linkable(String type, boolean linkable) {
            return type(type, r -> r.withLinkable(linkable));
        }

        public Builder priority(String type, int priority) {
            return type(type, r -> r.withPriority(priority));
        }

        public Builder maxPerProfile(String type, int max) {
            return type(type, r -> r.withMaxPerProfile(max));
        }

        public Builder channel(String type, String channel) {
            return type(type, r -> r.withChannel(channel));
        }

        /** How phone numbers are read and which kinds link (defaults: {@link PhoneRules#DEFAULTS}). */
        public Builder phones(PhoneRules rules) {
            this.phones = Objects.requireNonNull(rules);
            return this;
        }

        /** When identifiers count as shared (defaults: {@link SharingRules#DEFAULTS}). */
        public Builder sharing(SharingRules rules) {
            this.sharing = Objects.requireNonNull(rules);
            return this;
        }

        /** The rule of types that have none (its channel is guessed from the type name). */
        public Builder defaultRule(IdentityRule rule) {
            this.defaultRule = Objects.requireNonNull(rule);
            return this;
        }

        /** Blocks a value for every type (case-insensitive). */
        public Builder blockValue(String value) {
            blockedValues.add(value.strip().toLowerCase(Locale.ROOT));
            return this;
        }

        /** Blocks a value of one type, e.g. a test phone number {@code +8613800000000}; phones are normalized first. */
        public Builder blockValue(String type, String value) {
            String v = value.strip();
            if (type.equals(IdentityTypes.PHONE)) {
                v = phones.e164(v).orElse(v);
            }
            blockedValuesByType.computeIfAbsent(type, t -> new LinkedHashSet<>()).add(v.toLowerCase(Locale.ROOT));
            return this;
        }

        public Builder blockValues(String type, Collection<String> values) {
            values.forEach(v -> blockValue(type, v));
            return this;
        }

        /** Blocks values of every type that fully match {@code regex} (case-insensitive). */
        public Builder blockPattern(String regex) {
            compile(regex);
            blockedPatterns.add(regex);
            return this;
        }

        /** Blocks values of one type that fully match {@code regex} (case-insensitive). */
        public Builder blockPattern(String type, String regex) {
            compile(regex);
            blockedPatternsByType.computeIfAbsent(type, t -> new ArrayList<>()).add(regex);
            return this;
        }

        public IdentityPolicy build() {
            return new IdentityPolicy(this);
        }
    }
}
