package io.omnihub.crm;

/**
 * The names consent statements are kept under on a profile ({@code crm_customer.consent}, one
 * statement {@code {v, at, ev}} per name): {@code crossChannelLinking}, {@code analytics}, the
 * blanket {@code marketing}, and {@code marketing.<channel>} for a channel's own statement
 * ({@code marketing.sms}), which wins over the blanket one for that channel.
 */
public final class ConsentKeys {

    public static final String CROSS_CHANNEL_LINKING = "crossChannelLinking";
    public static final String MARKETING = "marketing";
    public static final String ANALYTICS = "analytics";

    private static final String MARKETING_ON = "marketing.";

    private ConsentKeys() {
    }

    /** The key of marketing consent on {@code channel} ({@code sms}, {@code wechat}, ...). */
    public static String marketingOn(String channel) {
        return MARKETING_ON + channel;
    }

    /** The channel a key names marketing consent on, or null when it is not a channel's marketing key. */
    public static String channelOf(String key) {
        return key.startsWith(MARKETING_ON) ? key.substring(MARKETING_ON.length()) : null;
    }
}
