package io.omnihub.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Someone in the demo brand's day, with what each channel knows them by. A channel a person does
 * not use leaves its id null. Channel ids are derived from the person's key, so they look like the
 * channels' own and stay the same from one demo run to the next.
 *
 * @param key        a stable key for the derived ids
 * @param name       the name staff see
 * @param phone      the mainland mobile number, 11 digits, or null
 * @param region     the sales region of a lead, or null
 * @param homeStore  the store that looks after them, or null
 * @param channels   which channels know them
 */
record Person(String key, String name, String phone, String region, String homeStore, Channels channels) {

    /** Which channels know a person. */
    record Channels(boolean officialAccount, boolean weCom, boolean douyin, boolean doudian, boolean tmall,
                    boolean posMember, boolean erp) {
    }

    /** The address the person gave the web shop, e.g. {@code wang.fang@example.com}. */
    String email() {
        return key.replace('-', '.') + "@example.com";
    }

    /** The Official Account's openid of this person (28 characters, as WeChat's). */
    String openid() {
        return channels.officialAccount() ? "o" + derived("openid", 27) : null;
    }

    /** The WeChat unionid shared by the Official Account and WeCom. */
    String unionid() {
        return channels.officialAccount() || channels.weCom() ? "o" + derived("unionid", 28) : null;
    }

    String externalUserId() {
        return channels.weCom() ? "wm" + derived("external", 30) : null;
    }

    String douyinOpenId() {
        return channels.douyin() ? "_000" + derived("douyin", 32) : null;
    }

    String doudianOpenId() {
        return channels.doudian() ? "1@#" + derived("doudian", 40) : null;
    }

    String tmallOuid() {
        return channels.tmall() ? "AA" + derived("tmall", 22) : null;
    }

    /** The masked nick TOP shows, e.g. {@code 王**}. */
    String tmallNick() {
        return name.substring(0, 1) + "**";
    }

    /** Pospal's customerUid: a number beyond 2^53, as Pospal's are. */
    String posCustomerUid() {
        return channels.posMember()
                ? "59" + String.format("%017d", Long.parseLong(hex("pospal").substring(0, 15), 16) % 100_000_000_000_000_000L) : null;
    }

    /** The member card number printed on the card. */
    String memberCard() {
        return channels.posMember() ? "LH" + Long.parseLong(hex("card").substring(0, 7), 16) % 1_000_000 : null;
    }

    String erpNumber() {
        return channels.erp() ? "CUST" + (1000 + Long.parseLong(hex("erp").substring(0, 4), 16) % 9000) : null;
    }

    long erpId() {
        return 100_000 + Long.parseLong(hex("erp-id").substring(0, 5), 16) % 900_000;
    }

    private String derived(String what, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        byte[] digest = sha256(key + "/" + what);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; out.length() < length; i++) {
            out.append(alphabet.charAt((digest[i % digest.length] & 0xff ^ i) % alphabet.length()));
        }
        return out.toString();
    }

    private String hex(String what) {
        return java.util.HexFormat.of().formatHex(sha256(key + "/" + what));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
