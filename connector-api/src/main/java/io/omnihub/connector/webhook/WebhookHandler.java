package io.omnihub.connector.webhook;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;

/**
 * Verifies and unpacks what a channel pushes to {@code /hooks/<connector>/<instance>}.
 *
 * <p>The hub calls {@link #handle} on a request thread for every GET (handshake) and POST. The
 * handler must verify the request's signature over the exact raw bytes, decrypt what the channel
 * encrypted, and return the records to persist with the reply to send. It must be fast and must not
 * call the channel's API: the channel's deadline (5 s for WeChat and Douyin) covers the whole
 * exchange, and the hub sends the reply only after the records are durable.
 */
public interface WebhookHandler {

    /**
     * @return the reply and the records; a handshake returns a reply and no records
     * @throws BadSignatureException when the signature or timestamp does not verify; the hub answers
     *     401, counts the attempt and keeps nothing
     * @throws BadInputException when the body is malformed or refused (a DTD, an unknown app id); the
     *     hub answers 400 and parks the raw request on the dead-letter queue with the message
     */
    WebhookResult handle(WebhookRequest request);
}
