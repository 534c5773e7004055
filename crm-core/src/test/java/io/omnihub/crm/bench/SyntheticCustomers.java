package io.omnihub.crm.bench;

import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The identifiers of synthetic customer number {@code p}, the same in Java (for events) and in SQL
 * (for the bulk load), so an event built here for a loaded customer finds that customer's profile.
 *
 * <p>Customers come in six shapes, {@code p % 6}, of 2 to 5 identifiers of the kinds the channels
 * deliver, 20 identifiers per 6 customers (3.33 each):
 * <ol start="0">
 *   <li>WeChat follower: openid, unionid, phone</li>
 *   <li>member on every channel: openid, unionid, phone, member card, ERP customer</li>
 *   <li>Douyin viewer: Douyin openid, phone</li>
 *   <li>Tmall buyer who shops in store: Tmall ouid, phone, member card</li>
 *   <li>Tmall buyer on WeChat: Tmall ouid, phone, openid, unionid</li>
 *   <li>store member in the ERP: member card, phone, ERP customer</li>
 * </ol>
 * Values are shaped like the real ones (28-character openids, CN mobiles in E.164, ...) and hashed
 * from {@code p}, so they spread over the whole key space as real ones do.
 */
final class SyntheticCustomers {

    static final int SHAPES = 6;
    static final int IDENTIFIERS_PER_CYCLE = 20;

    static final String WECHAT_APP = "wx5f3c2a91d8e7b604";
    static final String DOUYIN_APP = "awk3j2x8q0lm7d1z";
    static final String TMALL_SELLER = "2208461173";
    static final String BRAND = "omni-retail";
    static final String ERP_ACCOUNT = "acct-01";

    /** One kind of identifier: its type, namespace, source channel and the shapes that have it. */
    enum Kind {
        WECHAT_OPENID(IdentityTypes.WECHAT_OPENID, WECHAT_APP, "wechat", "0,1,4"),
        WECHAT_UNIONID(IdentityTypes.WECHAT_UNIONID, "", "wechat", "0,1,4"),
        PHONE(IdentityTypes.PHONE, "", "pos", "0,1,2,3,4,5"),
        DOUYIN_OPENID(IdentityTypes.DOUYIN_OPENID, DOUYIN_APP, "douyin", "2"),
        TMALL_OUID(IdentityTypes.TMALL_OUID, TMALL_SELLER, "tmall", "3,4"),
        MEMBER_CARD(IdentityTypes.MEMBER_CARD, BRAND, "pos", "1,3,5"),
        ERP_CUSTOMER(IdentityTypes.ERP_CUSTOMER, ERP_ACCOUNT, "erp", "1,5");

        final String type;
        final String namespace;
        final String source;
        final String shapes;

        Kind(String type, String namespace, String source, String shapes) {
            this.type = type;
            this.namespace = namespace;
            this.source = source;
            this.shapes = shapes;
        }

        boolean of(long p) {
            return shapes.contains(Long.toString(p % SHAPES));
        }

        /** The value of customer {@code p}'s identifier of this kind. */
        String value(long p) {
            return switch (this) {
                case WECHAT_OPENID -> "o" + md5("wo" + p).substring(0, 27);
                case WECHAT_UNIONID -> "o" + md5("wu" + p).substring(0, 27);
                case PHONE -> "+86" + (13100000000L + p * 3);
                case DOUYIN_OPENID -> "_000" + md5("do" + p).substring(0, 28);
                case TMALL_OUID -> "AAH" + md5("tm" + p).substring(0, 21);
                case MEMBER_CARD -> "M" + String.format("%010d", p);
                case ERP_CUSTOMER -> "CUST" + String.format("%09d", p);
            };
        }

        /** The same value as a SQL expression of the bigint column {@code p}. */
        String sqlValue() {
            return switch (this) {
                case WECHAT_OPENID -> "'o' || substr(md5('wo' || p), 1, 27)";
                case WECHAT_UNIONID -> "'o' || substr(md5('wu' || p), 1, 27)";
                case PHONE -> "'+86' || (13100000000 + p * 3)";
                case DOUYIN_OPENID -> "'_000' || substr(md5('do' || p), 1, 28)";
                case TMALL_OUID -> "'AAH' || substr(md5('tm' || p), 1, 21)";
                case MEMBER_CARD -> "'M' || lpad(p::text, 10, '0')";
                case ERP_CUSTOMER -> "'CUST' || lpad(p::text, 9, '0')";
            };
        }

        /** The SQL condition that customer {@code p} has this kind. */
        String sqlHas() {
            return "p % " + SHAPES + " in (" + shapes + ")";
        }

        Identity identity(long p) {
            return Identity.of(type, value(p), namespace.isEmpty() ? null : namespace).withEvidence(Evidence.VERIFIED);
        }
    }

    private SyntheticCustomers() {
    }

    /** How many customers make {@code identifiers} identifiers (rounded down to whole shape cycles). */
    static long customersFor(long identifiers) {
        return identifiers / IDENTIFIERS_PER_CYCLE * SHAPES;
    }

    /** How many identifiers {@code customers} customers have. */
    static long identifiersOf(long customers) {
        long n = customers / SHAPES * IDENTIFIERS_PER_CYCLE;
        for (long p = customers / SHAPES * SHAPES; p < customers; p++) {
            n += kinds(p).size();
        }
        return n;
    }

    /** The kinds of identifier customer {@code p} has. */
    static List<Kind> kinds(long p) {
        List<Kind> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (k.of(p)) {
                out.add(k);
            }
        }
        return out;
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
