package io.omnihub.connector.state;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A small key-value store with expiry, shared by every hub node and scoped to one instance.
 *
 * <p>Channels such as WeChat invalidate the previous access token whenever a new one is fetched,
 * so a token must be fetched once for the whole cluster: {@link #getOrFetch} guarantees that only
 * one node fetches while the others wait for its result.
 */
public interface TokenCache {

    /** The unexpired value for {@code key}. */
    Optional<String> get(String key);

    /** Stores {@code value} for {@code ttl}. */
    void put(String key, String value, Duration ttl);

    /** Forgets {@code key}, e.g. after the channel said the token is invalid. */
    void invalidate(String key);

    /**
     * The unexpired value for {@code key}, or the value {@code fetch} returns, stored until it
     * expires. Only one caller across the cluster runs {@code fetch} for a key at a time.
     */
    String getOrFetch(String key, Supplier<Token> fetch);

    /**
     * A fetched value and how long it stays valid.
     *
     * @param value the token
     * @param ttl   its lifetime; the cache expires it a little earlier to leave room for clock skew
     */
    record Token(String value, Duration ttl) {
    }
}
