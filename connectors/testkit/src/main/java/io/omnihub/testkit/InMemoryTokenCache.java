package io.omnihub.testkit;

import io.omnihub.connector.state.TokenCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A single-node {@link TokenCache} for connector tests; counts fetches so tests can assert caching. */
public final class InMemoryTokenCache implements TokenCache {

    private record Entry(String value, Instant expiresAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final Clock clock;

    public InMemoryTokenCache(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<String> get(String key) {
        Entry entry = entries.get(key);
        if (entry == null || !clock.instant().isBefore(entry.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        entries.put(key, new Entry(value, clock.instant().plus(ttl)));
    }

    @Override
    public void invalidate(String key) {
        entries.remove(key);
    }

    @Override
    public synchronized String getOrFetch(String key, Supplier<Token> fetch) {
        Optional<String> cached = get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        Token token = fetch.get();
        fetches.incrementAndGet();
        put(key, token.value(), token.ttl());
        return token.value();
    }

    /** How many times {@link #getOrFetch} had to fetch. */
    public int fetchCount() {
        return fetches.get();
    }
}
