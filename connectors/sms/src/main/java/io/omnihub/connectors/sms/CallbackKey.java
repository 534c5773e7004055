package io.omnihub.connectors.sms;

import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.webhook.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Authenticates a vendor callback by the secret in its URL ({@code ?key=<callback-key>}): the SMS
 * vendors sign no callback, so the URL registered in their console is the secret. Compared in
 * constant time over SHA-256 digests, which hides the key's length as well.
 */
final class CallbackKey {

    static final String PARAMETER = "key";

    private final byte[] expected;

    /** @param key the configured callback key; empty refuses every callback */
    CallbackKey(Optional<String> key) {
        this.expected = key.map(CallbackKey::digest).orElse(null);
    }

    /** @throws BadSignatureException unless the request carries the key */
    void verify(WebhookRequest request) {
        if (expected == null) {
            throw new BadSignatureException("no callback-key is configured for this instance, so no callback is accepted");
        }
        String given = request.queryParam(PARAMETER).orElseThrow(
                () -> new BadSignatureException("callback URL without its '" + PARAMETER + "' parameter"));
        if (!MessageDigest.isEqual(expected, digest(given))) {
            throw new BadSignatureException("callback URL carries a wrong '" + PARAMETER + "'");
        }
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
