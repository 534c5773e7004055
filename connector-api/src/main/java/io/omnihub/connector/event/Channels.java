package io.omnihub.connector.event;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names of the channels a customer is reached on, as used in {@link Consent#marketingChannels()}
 * (and by the CRM core for consent per channel and for journeys' channel preference lists).
 *
 * <p>A channel name is lower-case: letters, digits and {@code -}, starting with a letter
 * ({@value #NAME_PATTERN}). The constants below are the channels OmniHub's own connectors speak; a
 * partner connector may use another name of that shape (e.g. {@code xiaohongshu}) and should say
 * which in its README.
 */
public final class Channels {

    /** WeChat Official Accounts and mini programs (公众号, 小程序). */
    public static final String WECHAT = "wechat";
    /** WeCom (企业微信): customer contact through a salesperson. */
    public static final String WECOM = "wecom";
    /** Text messages (短信) to a phone number. */
    public static final String SMS = "sms";
    /** E-mail. */
    public static final String EMAIL = "email";
    /** Douyin (抖音) and 抖店. */
    public static final String DOUYIN = "douyin";
    /** Tmall and Taobao. */
    public static final String TMALL = "tmall";
    /** Stores: the point of sale and store staff. */
    public static final String POS = "pos";

    /** What a channel name must look like. */
    public static final String NAME_PATTERN = "^[a-z][a-z0-9-]{1,31}$";

    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final Set<String> KNOWN = Set.of(WECHAT, WECOM, SMS, EMAIL, DOUYIN, TMALL, POS);

    private Channels() {
    }

    /** The channels named by the constants of this class. */
    public static Set<String> known() {
        return KNOWN;
    }

    /** Whether {@code name} has the shape of a channel name ({@value #NAME_PATTERN}). */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
