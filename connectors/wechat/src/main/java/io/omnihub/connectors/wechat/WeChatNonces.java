package io.omnihub.connectors.wechat;

import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.state.TokenCache;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The nonces of plaintext pushes seen within the timestamp tolerance. In plaintext mode WeChat's
 * signature covers only token, timestamp and nonce, not the body: whoever captured one push could
 * send any body of their own with its signature until the timestamp goes stale. Each (timestamp,
 * nonce) is remembered with a digest of the body it came with; the same pair with another body is
 * refused as a replay.
 *
 * <p>The same pair with the same body passes: that is WeChat resending a push it got no answer to in
 * time (or a 503 for), and the pipeline drops the duplicate by the message's own id. Refusing it
 * would lose the message whenever the first delivery did not make it into the journal.
 *
 * <p>Pairs are remembered twice: in this node's memory (bounded, checked first), and in the
 * instance's {@link TokenCache}, which every hub node shares through the database, so a replay sent
 * to another node is refused too. The shared check may take at most {@link #SHARED_CHECK_BUDGET}: the
 * webhook is answered from this node's memory alone while the database is slow or down, since a
 * webhook must never wait on the database (it is acknowledged once durable on the broker).
 */
final class WeChatNonces {

    /** The longest a push waits for the cluster-wide check before it is decided on this node's memory. */
    static final Duration SHARED_CHECK_BUDGET = Duration.ofMillis(250);
    /** Pairs remembered in memory at most (about 10 MB); the oldest are forgotten first. */
    static final int MEMORY_CAPACITY = 100_000;

    /** Shared checks run here, so that a hanging database holds at most its two threads. */
    private static final ThreadPoolExecutor SHARED_CHECKS = sharedChecks();

    private final TokenCache cache;
    private final Clock clock;
    private final Duration remembered;
    private final Map<String, Seen> memory = new LinkedHashMap<>();

    private record Seen(long digest, long untilMillis) {
    }

    /**
     * @param cache     the instance's cluster-wide cache
     * @param clock     the hub's clock
     * @param tolerance the timestamp tolerance: a pair is remembered for twice as long (a timestamp
     *                  may be that far ahead of the hub's clock, and then that far behind)
     */
    WeChatNonces(TokenCache cache, Clock clock, Duration tolerance) {
        this.cache = cache;
        this.clock = clock;
        this.remembered = tolerance.multipliedBy(2);
    }

    /** Remembers the push's nonce, or refuses it when the nonce came before with another body. */
    void requireFirstUse(String timestamp, String nonce, byte[] body) {
        byte[] sha256 = sha256(body);
        long shortDigest = ByteBuffer.wrap(sha256).getLong();
        String key = "nonce:" + timestamp + ":" + nonce;
        Boolean sameBody = seenHere(key, shortDigest);
        if (sameBody != null) {
            if (!sameBody) {
                throw replay();
            }
            return; // WeChat resending what this node took
        }
        String digest = HexFormat.of().formatHex(sha256);
        try {
            String first = CompletableFuture.supplyAsync(
                            () -> cache.getOrFetch(key, () -> new TokenCache.Token(digest, remembered)), SHARED_CHECKS)
                    .get(SHARED_CHECK_BUDGET.toMillis(), TimeUnit.MILLISECONDS);
            if (!first.equals(digest)) {
                throw replay(); // another node took this pair with another body
            }
        } catch (TimeoutException | RejectedExecutionException | ExecutionException e) {
            // the database is slow or down: this node's memory decides
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rememberHere(key, shortDigest);
    }

    /** Null when this node has not seen {@code key}; else whether it came with the same body. */
    private synchronized Boolean seenHere(String key, long digest) {
        forgetOld();
        Seen seen = memory.get(key);
        return seen == null ? null : seen.digest() == digest;
    }

    private synchronized void rememberHere(String key, long digest) {
        memory.putIfAbsent(key, new Seen(digest, clock.millis() + remembered.toMillis()));
        forgetOld();
    }

    /** Forgets pairs past their time, and the oldest beyond the capacity. */
    private void forgetOld() {
        long now = clock.millis();
        for (Iterator<Seen> oldest = memory.values().iterator(); oldest.hasNext(); ) {
            Seen seen = oldest.next();
            if (seen.untilMillis() > now && memory.size() <= MEMORY_CAPACITY) {
                break; // entries are kept in the order they came, so the rest are younger
            }
            oldest.remove();
        }
    }

    private static BadSignatureException replay() {
        return new BadSignatureException("nonce already used within the timestamp tolerance with another body: replay refused");
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static ThreadPoolExecutor sharedChecks() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), runnable -> {
            Thread thread = new Thread(runnable, "wechat-nonce-check");
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true); // no thread outlives a quiet minute, nor the plugin
        return executor;
    }

    @Override
    public String toString() {
        return "WeChatNonces[" + remembered + "]";
    }
}
