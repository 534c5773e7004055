package io.omnihub.hub.privacy;

import io.omnihub.crm.CustomerView;
import io.omnihub.crm.IdentityView;
import io.omnihub.crm.JoinedIdentifier;
import io.omnihub.crm.MaskedValue;
import io.omnihub.crm.MergeRecord;
import io.omnihub.crm.SharedIdentifierView;
import io.omnihub.crm.TimelineEntry;
import io.omnihub.crm.UnlinkedIdentityView;
import io.omnihub.routes.privacy.PersonalDataMasker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the customers API shows of a person by default: phones, channel ids, e-mail addresses, names
 * and addresses masked, for every role. Identifier values are masked as {@link MaskedValue} does;
 * attributes and timeline details by the name of their field (a receiver's name, a buyer's nick, an
 * address: only the first character kept) and, in any other text, wherever one of the customer's
 * own identifier values or a phone number, e-mail address or WeChat id appears.
 *
 * <p>The one place that knows which fields of the customers API are personal; unmasked views are
 * only handed out by a reveal or an export, both audited.
 */
public final class PersonalDataMask {

    // Field names that hold a person's contact, id, name or address, compared lowercase without '_', '-' or '.'.
    private static final Pattern PERSONAL_FIELD = Pattern.compile(
            ".*(phone|mobile|email|address|addr|street|openid|unionid|wechatid|wxid|nick|receiver|buyer|contact|membercard|memberid"
            + "|idcard|idno|idnumber|passport).*"
            + "|.*(tel|telephone|mail|uid|userid|cardno|name)");
    // Fields ending in "name" that name a thing, not a person.
    private static final Pattern THING_NAME = Pattern.compile(
            "(product|sku|item|goods|store|shop|campaign|template|journey|event|app|file|brand|coupon|city|province|country|district"
            + "|category|tag|segment|channel|source|instance|connector|type|kind|host|step|rule)name");
    // Field names in Chinese (姓名, 收货地址, 手机号, ...): the ASCII comparison above drops them.
    private static final Pattern PERSONAL_FIELD_CJK = Pattern.compile("姓名|名字|昵称|手机|电话|地址|收货|收件|邮箱|身份证|微信号");
    private static final int MIN_KNOWN_LENGTH = 4;
    // A personal field's value found again in free text: a Chinese name has two or three characters.
    private static final int MIN_PERSONAL_TEXT_LENGTH = 2;

    private PersonalDataMask() {
    }

    /**
     * {@code body} with personal data masked when it is (a list of) a customer view, timeline entry,
     * merge record or shared identifier; anything else unchanged.
     */
    public static Object of(Object body) {
        if (body instanceof CustomerView v) {
            return customer(v);
        }
        if (body instanceof MergeRecord m) {
            return merge(m);
        }
        if (body instanceof SharedIdentifierView s) {
            return shared(s);
        }
        if (body instanceof TimelineEntry t) {
            return timelineEntry(t, Set.of());
        }
        if (body instanceof List<?> list && list.stream().anyMatch(PersonalDataMask::carriesCustomers)) {
            return list.stream().map(PersonalDataMask::of).toList();
        }
        return body;
    }

    private static boolean carriesCustomers(Object item) {
        return item instanceof CustomerView || item instanceof MergeRecord || item instanceof SharedIdentifierView
                || item instanceof TimelineEntry;
    }

    /** The 360 view with its identities' values, personal attributes and timeline details masked. */
    public static CustomerView customer(CustomerView v) {
        List<String> known = new ArrayList<>();
        v.identities().forEach(i -> known.add(i.value()));
        v.unlinkedIdentities().forEach(i -> known.add(i.value()));
        // the customer's name or address written into a message or a note is masked there too
        List<String> personal = new ArrayList<>();
        personalValues(v.attributes(), personal);
        v.timeline().forEach(t -> personalValues(t.summary(), personal));
        Collection<String> values = knownValues(known, personal);
        List<IdentityView> identities = v.identities().stream()
                .map(i -> new IdentityView(i.type(), MaskedValue.of(i.value()), i.namespace(), i.firstSeenAt(), i.lastSeenAt(), i.source(),
                        i.evidence()))
                .toList();
        List<UnlinkedIdentityView> unlinked = v.unlinkedIdentities().stream()
                .map(i -> new UnlinkedIdentityView(i.type(), MaskedValue.of(i.value()), i.namespace(), i.reason(), i.firstSeenAt(),
                        i.lastSeenAt(), i.source(), i.evidence()))
                .toList();
        return new CustomerView(v.id(), v.createdAt(), identities, fields(v.attributes(), values, true), v.consent(), v.orders(),
                v.timeline().stream().map(t -> timelineEntry(t, values)).toList(), v.tags(), v.scores(), v.mergedIds(), unlinked);
    }

    /** A merge with the values of the identifiers that joined the profiles masked. */
    public static MergeRecord merge(MergeRecord m) {
        Collection<String> values = knownValues(m.joined().stream().map(JoinedIdentifier::value).toList());
        List<JoinedIdentifier> joined = m.joined().stream()
                .map(j -> new JoinedIdentifier(j.type(), j.namespace(), MaskedValue.of(j.value()), j.evidence(), j.side()))
                .toList();
        return new MergeRecord(m.id(), m.survivingId(), m.mergedId(), m.kind(), m.evidenceEventId(), text(m.reason(), values), joined,
                m.mergedAt(), m.undoneAt(), text(m.undoneReason(), values));
    }

    /** A shared identifier with its value masked. */
    public static SharedIdentifierView shared(SharedIdentifierView s) {
        Collection<String> values = knownValues(List.of(s.value()));
        return new SharedIdentifierView(s.type(), s.namespace(), MaskedValue.of(s.value()), s.status(), text(s.reason(), values),
                fields(s.evidence(), values, false), s.detectedAt(), s.decidedAt(), s.decidedBy(), text(s.note(), values));
    }

    /** Whether a field of that name holds a person's contact, channel id, name or address. */
    public static boolean personalField(String name) {
        if (PERSONAL_FIELD_CJK.matcher(name).find()) {
            return true;
        }
        String key = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return PERSONAL_FIELD.matcher(key).matches() && !THING_NAME.matcher(key).matches();
    }

    /** Adds to {@code out} every string held under a personal field of {@code map}, at any depth. */
    private static void personalValues(Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (personalField(String.valueOf(k))) {
                    strings(v, out);
                } else {
                    personalValues(v, out);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(x -> personalValues(x, out));
        }
    }

    private static void strings(Object v, List<String> out) {
        if (v instanceof String s) {
            out.add(s);
        } else if (v instanceof Map<?, ?> m) {
            m.values().forEach(x -> strings(x, out));
        } else if (v instanceof List<?> list) {
            list.forEach(x -> strings(x, out));
        }
    }

    private static TimelineEntry timelineEntry(TimelineEntry t, Collection<String> known) {
        return new TimelineEntry(t.eventId(), t.type(), t.time(), t.source(), fields(t.summary(), known, false));
    }

    /**
     * A map with personal fields masked whole and everything else masked where it holds a known
     * value or looks like a phone, e-mail or WeChat id. A map shaped as an identifier
     * ({@code type} and {@code value}) has its value masked.
     */
    private static Map<String, Object> fields(Map<String, Object> map, Collection<String> known, boolean sorted) {
        if (map == null) {
            return null;
        }
        boolean identifier = map.containsKey("type") && map.get("value") instanceof String;
        Map<String, Object> out = sorted ? new TreeMap<>() : new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (identifier && k.equals("value")) {
                out.put(k, MaskedValue.of((String) v));
            } else {
                out.put(k, personalField(k) ? whole(v) : value(v, known));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    @SuppressWarnings("unchecked")
    private static Object value(Object v, Collection<String> known) {
        if (v instanceof String s) {
            return text(s, known);
        }
        if (v instanceof Map<?, ?> m) {
            return fields((Map<String, Object>) m, known, false);
        }
        if (v instanceof List<?> list) {
            return list.stream().map(x -> value(x, known)).toList();
        }
        return v;
    }

    /**
     * A personal field's value: every string and number in it reduced to its first character, so
     * neither a short name nor its length shows ({@code Li Lei} is {@code L***}).
     */
    private static Object whole(Object v) {
        if (v instanceof String || v instanceof Number) {
            String s = String.valueOf(v);
            return s.isEmpty() ? s : s.codePoints().limit(1).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    + "***";
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), whole(x)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> list) {
            return list.stream().map(PersonalDataMask::whole).toList();
        }
        return v;
    }

    private static String text(String s, Collection<String> known) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        String out = s;
        for (String value : known) {
            if (out.contains(value)) {
                out = out.replace(value, MaskedValue.of(value));
            }
        }
        return PersonalDataMasker.mask(out);
    }

    /** The values to find in text, longest first; a mainland phone also in its national form. */
    private static Collection<String> knownValues(Collection<String> values) {
        return knownValues(values, List.of());
    }

    /**
     * As {@link #knownValues(Collection)}, with the values of personal fields ({@code personal}: names,
     * addresses) found in text from two characters on.
     */
    private static Collection<String> knownValues(Collection<String> values, Collection<String> personal) {
        Set<String> out = new java.util.HashSet<>();
        for (String p : personal) {
            if (p != null && p.strip().codePointCount(0, p.strip().length()) >= MIN_PERSONAL_TEXT_LENGTH) {
                out.add(p.strip());
            }
        }
        for (String v : values) {
            if (v == null || v.length() < MIN_KNOWN_LENGTH) {
                continue;
            }
            out.add(v);
            if (v.startsWith("+86") && v.length() > 3 + MIN_KNOWN_LENGTH) {
                out.add(v.substring(3));
            }
        }
        List<String> ordered = new ArrayList<>(out);
        ordered.sort(Comparator.comparingInt(String::length).reversed());
        return ordered;
    }
}
