package io.omnihub.testsupport.population;

import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Order;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A synthetic retail population: people who follow the brand on WeChat, are added by a salesperson
 * on WeCom, buy on Tmall and 抖店, redeem Douyin coupons, shop in stores as members or walk-ins and
 * appear in the ERP, each channel delivering what it really knows, graded as our connectors grade it.
 * What makes resolving them hard is in it on purpose:
 *
 * <ul>
 *   <li><b>gifts</b>: a marketplace order delivered to a friend's phone;</li>
 *   <li><b>households</b>: a salesperson notes a family member's phone on a WeCom contact, a parcel goes
 *       to the spouse;</li>
 *   <li><b>store phones</b>: a clerk types the store's landline, or the store manager's mobile, for a
 *       walk-in customer who gives none;</li>
 *   <li><b>test numbers</b>: {@value #TEST_NUMBER} typed at sign-up (blocked by configuration);</li>
 *   <li><b>shared tablets</b>: member sign-ups on a store's tablet, which sends its device id;</li>
 *   <li><b>declined consent</b>: people who refuse cross-channel linking, on every channel;</li>
 *   <li>people without a phone, two apps of one WeChat account, virtual numbers that decrypt to nothing.</li>
 * </ul>
 *
 * <p>Each observation knows its person and, for scoring recall, the group of that person's
 * observations their <em>own</em> identifiers can join: identifiers of another person (a friend's,
 * a family member's, the store's) never count, blocked and non-linkable ones neither, and for someone
 * who declined cross-channel linking only observations of one platform join. The same seed gives the
 * same population.
 */
public final class Population {

    /** The national test number the population types at some sign-ups; blocked by configuration. */
    public static final String TEST_NUMBER = "+8613800138000";
    /** Namespaces of the accounts the events come from. */
    public static final String OFFICIAL_ACCOUNT = "wx1111111111111111";
    public static final String MINI_PROGRAM = "wx2222222222222222";
    public static final String CORP = "ww3333333333333333";
    public static final String SELLER = "omni-flagship";
    public static final String DOUDIAN_SHOP = "4463798";
    public static final String DOUYIN_APP = "awlife0000000000";
    public static final String BRAND = "acme";
    public static final String ERP_ACCOUNT = "6543a1b2";

    private static final String[] MOBILE_PREFIXES = {"139", "138", "137", "136", "135", "159", "158", "188", "186", "185", "177",
            "199", "131", "132", "155", "156", "133", "153", "180", "181", "189", "150", "151", "152", "187", "183"};
    private static final Instant START = Instant.parse("2026-01-05T02:00:00Z");
    private static final int STORES = 40;
    /** No person has more interactions than this (a profile that holds more is several people). */
    public static final int MAX_OBSERVATIONS = 12;

    private final SplittableRandom random;
    private final String prefix;
    private final List<Person> people = new ArrayList<>();
    private final Set<String> usedPhones = new HashSet<>();
    private final List<Store> stores = new ArrayList<>();
    private final List<Generated> generated = new ArrayList<>();
    private int sequence;

    private record Store(String id, String landline, String managerMobile, String tablet) {
    }

    private static final class Person {
        final String id;
        String mobile;
        boolean declined;
        Person partner;
        final List<Person> friends = new ArrayList<>();
        final String unionid;

        Person(String id, String unionid) {
            this.id = id;
            this.unionid = unionid;
        }
    }

    /** An identity of an event and whether it is the person's own and linkable (counts for recall). */
    private record Id(Identity identity, boolean own) {
    }

    private record Generated(Person person, String platform, boolean scored, Instant at, CustomerEvent event, List<Id> ids) {
    }

    private Population(long seed) {
        this.random = new SplittableRandom(seed);
        this.prefix = "pop" + Long.toHexString(seed);
    }

    /**
     * Generates {@code size} people and their observations, in the order the channels would deliver
     * them (by time).
     */
    public static List<Observation> generate(long seed, int size) {
        return new Population(seed).build(size);
    }

    private List<Observation> build(int size) {
        for (int s = 0; s < STORES; s++) {
            stores.add(new Store("S" + (100 + s), "+86216" + String.format("%07d", 1_000_000 + s * 7919), mobile(), "tablet-" + prefix + "-" + s));
        }
        for (int i = 0; i < size; i++) {
            Person p = new Person(prefix + "-p" + i, "u" + prefix + i + "x" + Long.toHexString(random.nextLong() >>> 20));
            p.mobile = random.nextDouble() < 0.97 ? mobile() : null;
            p.declined = random.nextDouble() < 0.06;
            people.add(p);
        }
        // households (pairs) and friends
        for (int i = 0; i + 1 < size; i += 2) {
            if (random.nextDouble() < 0.35) {
                people.get(i).partner = people.get(i + 1);
                people.get(i + 1).partner = people.get(i);
            }
        }
        for (Person p : people) {
            for (int f = 0; f < 3; f++) {
                Person friend = people.get(random.nextInt(size));
                if (friend != p) {
                    p.friends.add(friend);
                }
            }
        }
        for (Person p : people) {
            int before = generated.size();
            live(p);
            keepAtMost(MAX_OBSERVATIONS, before);
        }
        generated.sort(Comparator.comparing(Generated::at).thenComparing(g -> g.event().id()));
        return score(generated);
    }

    // ------------------------------------------------------------------------------------------
    // one person's life with the brand

    private void live(Person p) {
        Instant t = START.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 200)));
        String store = stores.get(random.nextInt(STORES)).id();
        if (random.nextDouble() < 0.50) {
            t = wechat(p, t);
        }
        if (random.nextDouble() < 0.20) {
            t = wecom(p, t);
        }
        if (random.nextDouble() < 0.30) {
            t = tmall(p, t);
        }
        if (random.nextDouble() < 0.15) {
            t = doudian(p, t);
        }
        if (random.nextDouble() < 0.08) {
            t = douyinLife(p, t);
        }
        if (random.nextDouble() < 0.30) {
            t = member(p, t, store);
        } else if (random.nextDouble() < 0.20) {
            t = walkIns(p, t, store);
        }
        if (random.nextDouble() < 0.08) {
            erp(p, t);
        }
    }

    private Instant later(Instant t) {
        return t.plus(Duration.ofMinutes(30 + random.nextInt(60 * 24 * 20)));
    }

    private Instant wechat(Person p, Instant t) {
        String openid = "o" + p.id + "a";
        Id who = own(Identity.of(IdentityTypes.WECHAT_OPENID, openid, OFFICIAL_ACCOUNT), Evidence.VERIFIED);
        emit(p, "wechat", true, t, event("customer.followed", "wechat", t, p), who);
        // enrichment: the unionid of the follower, an identity link (not an interaction)
        emit(p, "wechat", false, t.plusSeconds(2), event("identity.linked", "wechat", t.plusSeconds(2), p), who,
                own(Identity.of(IdentityTypes.WECHAT_UNIONID, p.unionid), Evidence.VERIFIED));
        int messages = random.nextInt(3);
        for (int m = 0; m < messages; m++) {
            t = later(t);
            emit(p, "wechat", true, t, event("message.received", "wechat", t, p).message(new Message("text", "你好 " + m)), who);
        }
        if (random.nextDouble() < 0.25) {
            // the mini program of the same account: another openid, the same unionid
            t = later(t);
            Id mini = own(Identity.of(IdentityTypes.WECHAT_OPENID, "o" + p.id + "m", MINI_PROGRAM), Evidence.VERIFIED);
            List<Id> ids = new ArrayList<>(List.of(mini, own(Identity.of(IdentityTypes.WECHAT_UNIONID, p.unionid), Evidence.VERIFIED)));
            if (p.mobile != null && random.nextDouble() < 0.6) {
                ids.add(own(Identity.phone(p.mobile), Evidence.VERIFIED)); // the phone WeChat verified for the user
            }
            emit(p, "wechat", true, t, event("profile.updated", "wechat", t, p), ids.toArray(Id[]::new));
        }
        return t;
    }

    private Instant wecom(Person p, Instant t) {
        t = later(t);
        Id contact = own(Identity.of(IdentityTypes.WECOM_EXTERNAL_USERID, "wm" + p.id, CORP), Evidence.VERIFIED);
        emit(p, "wechat", true, t, event("customer.followed", "wechat", t, p), contact);
        List<Id> linked = new ArrayList<>(List.of(contact, own(Identity.of(IdentityTypes.WECHAT_UNIONID, p.unionid), Evidence.VERIFIED)));
        double r = random.nextDouble();
        if (r < 0.80 && p.mobile != null) {
            linked.add(own(Identity.phone(p.mobile), Evidence.NOTED));
        } else if (r < 0.95 && p.partner != null && p.partner.mobile != null) {
            linked.add(other(Identity.phone(p.partner.mobile), Evidence.NOTED)); // the salesperson noted the spouse's phone
        }
        emit(p, "wechat", false, t.plusSeconds(3), event("identity.linked", "wechat", t.plusSeconds(3), p), linked.toArray(Id[]::new));
        int messages = random.nextInt(2);
        for (int m = 0; m < messages; m++) {
            t = later(t);
            emit(p, "wechat", true, t, event("message.received", "wechat", t, p).message(new Message("text", "在吗")), contact);
        }
        return t;
    }

    private Id deliveryPhone(Person p, double giftRate) {
        double r = random.nextDouble();
        if (r < giftRate && !p.friends.isEmpty()) {
            Person friend = p.friends.get(random.nextInt(p.friends.size()));
            return friend.mobile == null ? null : other(Identity.phone(friend.mobile), Evidence.DELIVERY);
        }
        if (r < giftRate + 0.04 && p.partner != null && p.partner.mobile != null) {
            return other(Identity.phone(p.partner.mobile), Evidence.DELIVERY); // to the spouse at home
        }
        if (r < giftRate + 0.06 || p.mobile == null) {
            return null; // a virtual number, a masked phone
        }
        return own(Identity.phone(p.mobile), Evidence.DELIVERY);
    }

    private Instant tmall(Person p, Instant t) {
        Id buyer = own(Identity.of(IdentityTypes.TMALL_OUID, "AA" + p.id, SELLER), Evidence.VERIFIED);
        int orders = 1 + random.nextInt(3);
        for (int o = 0; o < orders; o++) {
            t = later(t);
            String tid = "T" + p.id + "-" + o;
            Id phone = deliveryPhone(p, 0.10);
            Order order = new Order(tid, "TRADE_BUYER_SIGNED", "CNY", 5_000 + random.nextInt(80_000), List.of());
            emit(p, "tmall", true, t, event("order.paid", "tmall", t, p).order(order), buyer, phone);
            if (random.nextDouble() < 0.2) {
                Instant done = t.plus(Duration.ofDays(4));
                emit(p, "tmall", true, done, event("order.completed", "tmall", done, p).order(order), buyer, phone);
            }
        }
        return t;
    }

    private Instant doudian(Person p, Instant t) {
        Id buyer = own(Identity.of(IdentityTypes.DOUDIAN_OPENID, "1@#" + p.id, DOUDIAN_SHOP), Evidence.VERIFIED);
        int orders = 1 + random.nextInt(2);
        for (int o = 0; o < orders; o++) {
            t = later(t);
            Order order = new Order("D" + p.id + "-" + o, "3", "CNY", 3_000 + random.nextInt(40_000), List.of());
            emit(p, "douyin", true, t, event("order.paid", "douyin", t, p).order(order), buyer, deliveryPhone(p, 0.12));
        }
        return t;
    }

    private Instant douyinLife(Person p, Instant t) {
        t = later(t);
        Id who = own(Identity.of(IdentityTypes.DOUYIN_OPENID, "_000" + p.id, DOUYIN_APP), Evidence.VERIFIED);
        emit(p, "douyin", true, t, event("coupon.redeemed", "douyin", t, p), who);
        return t;
    }

    private Instant member(Person p, Instant t, String storeId) {
        Store store = stores.stream().filter(s -> s.id().equals(storeId)).findFirst().orElseThrow();
        t = later(t);
        Id card = own(Identity.of(IdentityTypes.MEMBER_CARD, "VIP" + p.id, BRAND), Evidence.VERIFIED);
        List<Id> signUp = new ArrayList<>(List.of(card));
        if (p.mobile != null) {
            signUp.add(random.nextDouble() < 0.04 ? other(Identity.phone(TEST_NUMBER), Evidence.STATED)
                    : own(Identity.phone(p.mobile), Evidence.STATED));
        }
        if (random.nextDouble() < 0.4) {
            signUp.add(other(Identity.of(IdentityTypes.DEVICE_ID, store.tablet()), Evidence.VERIFIED)); // the store's sign-up tablet
        }
        emit(p, "pos", true, t, event("profile.updated", "pos", t, p).extra("storeId", store.id()), signUp.toArray(Id[]::new));
        int purchases = 1 + random.nextInt(3);
        for (int i = 0; i < purchases; i++) {
            t = later(t);
            List<Id> ticket = new ArrayList<>(List.of(card));
            if (p.mobile != null && random.nextDouble() < 0.5) {
                ticket.add(own(Identity.phone(p.mobile), Evidence.NOTED)); // the clerk looked the member up by phone
            }
            emit(p, "pos", true, t, event("store.purchased", "pos", t, p).extra("storeId", store.id())
                    .order(new Order("P" + p.id + "-" + i, "DONE", "CNY", 2_000 + random.nextInt(50_000), List.of())), ticket.toArray(Id[]::new));
        }
        return t;
    }

    private Instant walkIns(Person p, Instant t, String storeId) {
        Store store = stores.stream().filter(s -> s.id().equals(storeId)).findFirst().orElseThrow();
        int purchases = 1 + random.nextInt(2);
        for (int i = 0; i < purchases; i++) {
            t = later(t);
            double r = random.nextDouble();
            Id phone;
            if (r < 0.55 && p.mobile != null) {
                phone = own(Identity.phone(p.mobile), Evidence.NOTED);
            } else if (r < 0.80) {
                phone = other(Identity.phone(store.landline()), Evidence.NOTED); // the store's own landline
            } else {
                phone = other(Identity.phone(store.managerMobile()), Evidence.NOTED); // the manager's mobile
            }
            emit(p, "pos", true, t, event("store.purchased", "pos", t, p).extra("storeId", store.id())
                    .order(new Order("W" + p.id + "-" + i, "DONE", "CNY", 2_000 + random.nextInt(20_000), List.of())), phone);
        }
        return t;
    }

    private void erp(Person p, Instant t) {
        t = later(t);
        Id customer = own(Identity.of(IdentityTypes.ERP_CUSTOMER, "CUST" + p.id, ERP_ACCOUNT), Evidence.VERIFIED);
        List<Id> record = new ArrayList<>(List.of(customer));
        if (p.mobile != null) {
            record.add(random.nextDouble() < 0.04 ? other(Identity.phone(TEST_NUMBER), Evidence.NOTED)
                    : own(Identity.phone(p.mobile), Evidence.NOTED));
        }
        emit(p, "erp", true, t, event("profile.updated", "erp", t, p), record.toArray(Id[]::new));
        int orders = random.nextInt(2);
        for (int o = 0; o < orders; o++) {
            t = later(t);
            emit(p, "erp", true, t, event("order.created", "erp", t, p)
                    .order(new Order("SO" + p.id + "-" + o, "C", "CNY", 10_000 + random.nextInt(90_000), List.of())), customer);
        }
    }

    /** Drops a person's latest interactions beyond {@code max} (those generated from {@code from} on). */
    private void keepAtMost(int max, int from) {
        List<Generated> mine = new ArrayList<>(generated.subList(from, generated.size()));
        if (mine.stream().filter(Generated::scored).count() <= max) {
            return;
        }
        mine.sort(Comparator.comparing(Generated::at));
        List<Generated> kept = new ArrayList<>();
        int scored = 0;
        for (Generated g : mine) {
            if (!g.scored() || scored < max) {
                kept.add(g);
                scored += g.scored() ? 1 : 0;
            }
        }
        generated.subList(from, generated.size()).clear();
        generated.addAll(kept);
    }

    // ------------------------------------------------------------------------------------------
    // plumbing

    private String mobile() {
        while (true) {
            String m = "+86" + MOBILE_PREFIXES[random.nextInt(MOBILE_PREFIXES.length)] + String.format("%08d", random.nextInt(100_000_000));
            if (!m.equals(TEST_NUMBER) && usedPhones.add(m)) {
                return m;
            }
        }
    }

    private static Id own(Identity identity, Evidence evidence) {
        return new Id(identity.withEvidence(evidence), true);
    }

    private static Id other(Identity identity, Evidence evidence) {
        return new Id(identity.withEvidence(evidence), false);
    }

    private CustomerEvent.Builder event(String type, String connector, Instant t, Person p) {
        CustomerEvent.Builder b = CustomerEvent.builder(prefix + ":" + (sequence++), type).source(connector, "pop").time(t)
                .receivedAt(t.plusSeconds(1));
        if (p.declined) {
            b.consent(new Consent(false, null));
        }
        return b;
    }

    private void emit(Person p, String platform, boolean scored, Instant at, CustomerEvent.Builder b, Id... ids) {
        List<Id> present = new ArrayList<>();
        for (Id id : ids) {
            if (id != null) {
                present.add(id);
                b.identity(id.identity());
            }
        }
        generated.add(new Generated(p, platform, scored, at, b.build(), present));
    }

    /**
     * Joins each person's observations through their own identifiers, one platform at a time for
     * those who declined linking: once through every own identifier, once through those the evidence
     * supports (strong everywhere it is strong; a weak one only where it repeats on two orders).
     */
    private static List<Observation> score(List<Generated> all) {
        int[] supported = groups(all, true);
        int[] any = groups(all, false);
        List<Observation> out = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            Generated g = all.get(i);
            String person = g.person().id;
            out.add(new Observation(person, g.platform(), g.scored() ? person + "#" + find(supported, i) : null,
                    g.scored() ? person + "#" + find(any, i) : null, g.person().declined, g.event()));
        }
        return out;
    }

    private static int[] groups(List<Generated> all, boolean evidenceOnly) {
        Map<Person, List<Integer>> byPerson = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            byPerson.computeIfAbsent(all.get(i).person(), k -> new ArrayList<>()).add(i);
        }
        int[] parent = new int[all.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (Map.Entry<Person, List<Integer>> e : byPerson.entrySet()) {
            boolean declined = e.getKey().declined;
            // a weak occurrence counts where the same channel identity repeats it on two orders (the
            // same buyer sending two parcels to the phone): once cannot be told from a gift
            Map<String, Map<String, Set<String>>> weakOrders = new HashMap<>();
            for (int i : e.getValue()) {
                Generated g = all.get(i);
                if (g.event().data().order() == null) {
                    continue;
                }
                for (Id id : g.ids()) {
                    if (id.own() && !id.identity().evidence().strong()) {
                        for (Id with : g.ids()) {
                            if (with.own() && with.identity().evidence().strong()) {
                                weakOrders.computeIfAbsent(key(id.identity(), declined, g), k -> new HashMap<>())
                                        .computeIfAbsent(key(with.identity(), declined, g), k -> new HashSet<>())
                                        .add(g.event().data().order().id());
                            }
                        }
                    }
                }
            }
            Map<String, Integer> firstWithKey = new HashMap<>();
            for (int i : e.getValue()) {
                Generated g = all.get(i);
                for (Id id : g.ids()) {
                    if (!id.own()) {
                        continue;
                    }
                    String key = key(id.identity(), declined, g);
                    if (evidenceOnly && !id.identity().evidence().strong() && !repeated(weakOrders.getOrDefault(key, Map.of()), g, declined)) {
                        continue;
                    }
                    Integer first = firstWithKey.putIfAbsent(key, i);
                    if (first != null) {
                        union(parent, first, i);
                    }
                }
            }
        }
        return parent;
    }

    /** Whether a strong identity of this observation repeats the weak one on two orders ({@code orders}: per strong identity). */
    private static boolean repeated(Map<String, Set<String>> orders, Generated g, boolean declined) {
        for (Id with : g.ids()) {
            if (with.own() && with.identity().evidence().strong() && orders.getOrDefault(key(with.identity(), declined, g), Set.of()).size() >= 2) {
                return true;
            }
        }
        return false;
    }

    private static String key(Identity x, boolean declined, Generated g) {
        return (declined ? g.platform() + "|" : "") + x.type() + "|" + x.namespace() + "|" + x.value();
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        parent[find(parent, a)] = find(parent, b);
    }
}
