package io.omnihub.crm.automation;

import io.omnihub.connector.event.Channels;

/**
 * The channel (a {@link Channels} name) a message goes out on, from the connector and the sender's
 * action kind: the one place that says so, for guards, consent and reports alike.
 *
 * <p>Action kinds are named {@code <channel>.<what>}, so the kind's first part is the channel:
 * {@code wechat.template} and {@code wechat.subscribe} go on {@code wechat},
 * {@code wecom.customer-message} on {@code wecom} (sent by the WeChat connector),
 * {@code sms.send} on {@code sms}, {@code email.send} on {@code email}. A kind without such a
 * first part goes on the channel named like its connector.
 */
public final class SendChannels {

    private SendChannels() {
    }

    /** The channel an action of {@code kind} through connector {@code connector} goes out on. */
    public static String of(String connector, String kind) {
        if (kind != null) {
            int dot = kind.indexOf('.');
            if (dot > 0 && Channels.isValidName(kind.substring(0, dot))) {
                return kind.substring(0, dot);
            }
        }
        return connector;
    }

    /** The channel {@code option} goes out on. */
    static String of(ActionSpec.SendOption option) {
        return of(option.connector(), option.kind());
    }
}
