package io.omnihub.connector.webhook;

import io.omnihub.connector.source.RawRecord;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link WebhookHandler} made of a request.
 *
 * @param reply   what the hub sends back once the records are durable
 * @param records the records to persist; empty for handshakes and pushes with nothing to keep
 */
public record WebhookResult(WebhookReply reply, List<RawRecord> records) {

    public WebhookResult {
        Objects.requireNonNull(reply, "reply");
        records = List.copyOf(records);
    }

    /** A reply with nothing to persist, e.g. a URL-verification handshake. */
    public static WebhookResult replyOnly(WebhookReply reply) {
        return new WebhookResult(reply, List.of());
    }

    /** Records to persist, then {@code reply}. */
    public static WebhookResult accept(WebhookReply reply, List<RawRecord> records) {
        return new WebhookResult(reply, records);
    }
}
