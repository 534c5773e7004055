package io.omnihub.connector.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Consent the channel stated with this event, by purpose and, for marketing, by channel;
 * {@code null} fields and absent channels mean "not stated": the CRM core keeps what it knew.
 *
 * <p>A statement about one channel ({@code marketingChannels = {sms: false}}, an SMS unsubscribe
 * reply) says nothing about the others; {@code marketing} is a blanket statement for every channel
 * (a privacy centre's "no marketing at all"). When both are stated, the channel's own statement wins
 * for that channel: see {@link #marketingOn(String)}.
 *
 * @param crossChannelLinking whether the person allows linking this channel's identities with others
 * @param marketing           whether the person accepts marketing messages on every channel
 * @param marketingChannels   whether the person accepts marketing messages on a channel, keyed by
 *                            {@link Channels channel name} ({@code sms}, {@code email}, ...); empty when
 *                            no channel was named
 * @param analytics           whether the person allows their behaviour to be analysed (profiling,
 *                            reports beyond what the service itself needs)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Consent(Boolean crossChannelLinking, Boolean marketing, Map<String, Boolean> marketingChannels,
                      Boolean analytics) {

    public Consent {
        if (marketingChannels == null || marketingChannels.isEmpty()) {
            marketingChannels = Map.of();
        } else {
            Map<String, Boolean> copy = new LinkedHashMap<>();
            marketingChannels.forEach((channel, allowed) -> {
                if (channel == null || allowed == null) {
                    throw new IllegalArgumentException("marketingChannels holds a null channel or statement");
                }
                copy.put(channel, allowed);
            });
            marketingChannels = java.util.Collections.unmodifiableMap(copy);
        }
    }

    /**
     * Consent with the purposes of SDK 1.0: linking and blanket marketing only.
     *
     * @param crossChannelLinking whether the person allows linking this channel's identities with others
     * @param marketing           whether the person accepts marketing messages on every channel
     */
    public Consent(Boolean crossChannelLinking, Boolean marketing) {
        this(crossChannelLinking, marketing, Map.of(), null);
    }

    /**
     * The person's statement about marketing on one channel: the channel's own statement if there is
     * one, else the blanket {@link #marketing()}; empty when neither was stated.
     */
    public Optional<Boolean> marketingOn(String channel) {
        Boolean own = marketingChannels.get(channel);
        return Optional.ofNullable(own != null ? own : marketing);
    }

    /** Marketing on one channel allowed ({@code true}) or withdrawn ({@code false}); nothing else stated. */
    public static Consent channelMarketing(String channel, boolean allowed) {
        return new Consent(null, null, Map.of(channel, allowed), null);
    }
}
