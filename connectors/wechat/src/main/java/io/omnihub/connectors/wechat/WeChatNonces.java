package io.omnihub.connectors.wechat;

import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.state.TokenCache;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The nonces of plaintext pushes seen within the timestamp tolerance, shared by every hub node
 * through the instance's {@link TokenCache}. In plaintext mode WeChat's signature covers only token,
 * timestamp and nonce, not the body: whoever captured one push could send any body of their own with
 * its signature until the timestamp goes stale. Each (timestamp, nonce) is remembered with a digest
 * of the body it came with; the same pair with another body is refused as a replay.
 *
 * <p>The same pair with the same body passes: that is WeChat resending a push it got no answer to in
 * time (or a 503 for), and the pipeline drops the duplicate by the message's own id. Refusing it
 * would lose the message whenever the first delivery did not make it into the journal.
 */
final class WeChatNonces {

    private final TokenCache cache;
    private final Duration remembered;

    /**
     * @param cache     the instance's cluster-wide cache
     * @param tolerance the timestamp tolerance: a pair is remembered for twice as long (a timestamp
     *                  may be that far ahead of the hub's clock, and then that far behind)
     */
    WeChatNonces(TokenCache cache, Duration tolerance) {
        this.cache = cache;
        this.remembered = tolerance.multipliedBy(2);
    }

    /** Remembers the push's nonce, or refuses it when the nonce came before with another body. */
    void requireFirstUse(String timestamp, String nonce, byte[] body) {
        String digest = sha256(body);
        String first = cache.getOrFetch("nonce:" + timestamp + ":" + nonce, () -> new TokenCache.Token(digest, remembered));
        if (!first.equals(digest)) {
            throw new BadSignatureException("nonce already used within the timestamp tolerance with another body: replay refused");
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "WeChatNonces[" + remembered + "]";
    }
}
