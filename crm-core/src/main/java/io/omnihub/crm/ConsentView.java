package io.omnihub.crm;

import java.time.Instant;
import java.util.List;

/**
 * The customer's current consent: the most recent statement per purpose and channel; {@code null}
 * when never stated. The history of every statement is {@link CrmCore#consentHistory}.
 *
 * @param crossChannelLinking   whether the customer's identities on different platforms may be linked
 * @param marketing             the blanket marketing statement (a channel's own statement, in
 *                              {@code statements}, wins over it for that channel)
 * @param analytics             whether the customer's data may be used for analytics
 * @param statements            the current statement under each key (see {@link ConsentKeys}), with its
 *                              source event, ordered by key
 */
public record ConsentView(Boolean crossChannelLinking, Instant crossChannelLinkingAt, Boolean marketing, Instant marketingAt,
                          Boolean analytics, Instant analyticsAt, List<ConsentStatement> statements) {

    /** Linking and blanket marketing only, as the view had them first. */
    public ConsentView(Boolean crossChannelLinking, Instant crossChannelLinkingAt, Boolean marketing, Instant marketingAt) {
        this(crossChannelLinking, crossChannelLinkingAt, marketing, marketingAt, null, null, List.of());
    }

    /** The current statement on marketing over {@code channel}: the channel's own, else the blanket one; null when neither. */
    public ConsentStatement marketingOn(String channel) {
        ConsentStatement blanket = null;
        for (ConsentStatement s : statements) {
            if (s.key().equals(ConsentKeys.marketingOn(channel))) {
                return s;
            }
            if (s.key().equals(ConsentKeys.MARKETING)) {
                blanket = s;
            }
        }
        return blanket;
    }
}
