package io.omnihub.crm;

import java.time.Instant;

/**
 * One consent statement a customer made, with where it came from.
 *
 * @param key        where it is kept: {@code crossChannelLinking}, {@code analytics}, {@code marketing} or
 *                   {@code marketing.<channel>} (see {@link ConsentKeys})
 * @param purpose    {@code crossChannelLinking}, {@code analytics} or {@code marketing}
 * @param channel    the channel a marketing statement is about ({@code sms}, {@code wechat}, ...); null for
 *                   a blanket statement and for the other purposes
 * @param value      given (true) or declined (false)
 * @param at         when the customer made it (the event's time at the channel)
 * @param eventId    the event that carried it
 * @param eventType  that event's type ({@code consent.changed}, {@code customer.updated}, ...); null for
 *                   a statement recorded before statements were kept with their event
 * @param source     the connector instance it came from ({@code /connectors/wechat/main}); null as above
 * @param recordedAt when the core recorded it; null as above
 */
public record ConsentStatement(String key, String purpose, String channel, Boolean value, Instant at, String eventId, String eventType,
                               String source, Instant recordedAt) {

    /** A statement kept under {@code key}, its purpose and channel read off the key. */
    static ConsentStatement of(String key, Boolean value, Instant at, String eventId, String eventType, String source, Instant recordedAt) {
        String channel = ConsentKeys.channelOf(key);
        return new ConsentStatement(key, channel == null ? key : ConsentKeys.MARKETING, channel, value, at, eventId, eventType, source,
                recordedAt);
    }
}
