package io.omnihub.crm.automation;

import io.omnihub.crm.ConsentKeys;
import java.util.Map;

/**
 * The marketing consent that holds for a customer on one channel: the channel's own statement
 * ({@code marketing.<channel>}) when the customer made one, else the blanket {@code marketing}
 * statement, else none.
 *
 * @param channel the channel
 * @param value   true (consented), false (declined) or null (never stated)
 * @param own     whether the value is the channel's own statement
 */
record ChannelConsent(String channel, Boolean value, boolean own) {

    /**
     * The consent on {@code channel} in {@code statements}, the values of a profile's consent
     * statements by key ({@code marketing} → {@code true}, {@code marketing.sms} → {@code false}).
     */
    static ChannelConsent of(Map<String, ?> statements, String channel) {
        if (statements.get(ConsentKeys.marketingOn(channel)) instanceof Boolean own) {
            return new ChannelConsent(channel, own, true);
        }
        return new ChannelConsent(channel, statements.get(ConsentKeys.MARKETING) instanceof Boolean b ? b : null, false);
    }

    /**
     * Why marketing on this channel must not reach the customer under {@code guards}, without the
     * guard's name (e.g. {@code the customer declined marketing on sms}), or null when it may.
     */
    String refusal(GuardSettings guards) {
        if (Boolean.FALSE.equals(value)) {
            return own ? "the customer declined marketing on " + channel : "the customer declined marketing";
        }
        if (value == null && guards.consent() == GuardSettings.Consent.EXPLICIT) {
            return "the customer never gave marketing consent";
        }
        return null;
    }
}
