package io.omnihub.connector.source;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One unit of channel data, persisted by the hub before it is acknowledged and normalized later,
 * possibly on another node and after a restart. It must therefore carry everything the
 * {@link io.omnihub.connector.event.Normalizer} needs.
 *
 * @param key         the channel's own id for the record (a MsgId, an order id), used in logs and
 *                    dead letters; may be empty when the channel gives none
 * @param contentType the payload's media type, e.g. {@code application/xml}
 * @param payload     the payload bytes, decrypted if the channel encrypted them
 * @param attributes  small string facts the normalizer needs beside the payload (e.g. the account id
 *                    the push was addressed to); never secrets
 * @param receivedAt  when the hub received it
 */
public record RawRecord(
        String key,
        String contentType,
        byte[] payload,
        Map<String, String> attributes,
        Instant receivedAt) {

    public RawRecord {
        key = key == null ? "" : key;
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    public String payloadAsUtf8() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
