package io.omnihub.hub.tokens;

import io.omnihub.connector.state.TokenCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link TokenCache} in PostgreSQL table {@code hub_token_cache}, scoped to one connector
 * instance and shared by every hub node on the same database.
 *
 * <p>{@link #getOrFetch} is safe across the cluster: the fetch runs inside a transaction holding a
 * PostgreSQL advisory lock on the key, and re-reads the key once it has the lock, so the nodes
 * waiting behind the first fetcher take its token instead of fetching (and, at WeChat, invalidating)
 * another one.
 *
 * <p>Entries expire a little before the channel said: a tenth of their lifetime, at most five minutes,
 * leaving room for clock skew between nodes and the channel and for the time a call takes.
 */
public final class JdbcTokenCache implements TokenCache {

    // First half of the two-key advisory lock: keeps token locks apart from any other lock user.
    private static final int LOCK_NAMESPACE = 0x746F6B65; // "toke"
    private static final Duration MAX_EARLY_EXPIRY = Duration.ofMinutes(5);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final String connectorId;
    private final String instanceId;

    /**
     * @param jdbc         the hub database
     * @param transactions transactions on the same data source as {@code jdbc}
     * @param clock        the hub's clock; expiry is judged with it
     * @param connectorId  the connector the entries belong to
     * @param instanceId   the instance the entries belong to
     */
    public JdbcTokenCache(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock, String connectorId, String instanceId) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.connectorId = Objects.requireNonNull(connectorId, "connectorId");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    }

    @Override
    public Optional<String> get(String key) {
        List<String> values = jdbc.queryForList(
                "select value from hub_token_cache where connector_id = ? and instance_id = ? and cache_key = ? and expires_at > ?",
                String.class, connectorId, instanceId, key, Timestamp.from(clock.instant()));
        return values.stream().findFirst();
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        Objects.requireNonNull(value, "value");
        Instant now = clock.instant();
        jdbc.update("""
                insert into hub_token_cache (connector_id, instance_id, cache_key, value, expires_at, updated_at)
                values (?, ?, ?, ?, ?, ?)
                on conflict (connector_id, instance_id, cache_key)
                do update set value = excluded.value, expires_at = excluded.expires_at, updated_at = excluded.updated_at
                """,
                connectorId, instanceId, key, value, Timestamp.from(expiresAt(now, ttl)), Timestamp.from(now));
    }

    @Override
    public void invalidate(String key) {
        jdbc.update("delete from hub_token_cache where connector_id = ? and instance_id = ? and cache_key = ?",
                connectorId, instanceId, key);
    }

    @Override
    public String getOrFetch(String key, Supplier<Token> fetch) {
        Optional<String> cached = get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        return transactions.execute(status -> {
            // Held until commit or rollback; released even if this node dies mid-fetch.
            jdbc.query("select pg_advisory_xact_lock(?, ?)", rs -> null, LOCK_NAMESPACE, lockKey(key));
            Optional<String> fetchedMeanwhile = get(key);
            if (fetchedMeanwhile.isPresent()) {
                return fetchedMeanwhile.get();
            }
            Token token = Objects.requireNonNull(fetch.get(), "fetch returned no token");
            put(key, token.value(), token.ttl());
            return token.value();
        });
    }

    /** When an entry with lifetime {@code ttl} stored at {@code now} stops being returned. */
    static Instant expiresAt(Instant now, Duration ttl) {
        Duration early = ttl.dividedBy(10);
        if (early.compareTo(MAX_EARLY_EXPIRY) > 0) {
            early = MAX_EARLY_EXPIRY;
        }
        return now.plus(ttl).minus(early);
    }

    private int lockKey(String key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha256.digest((connectorId + '\u0000' + instanceId + '\u0000' + key).getBytes(StandardCharsets.UTF_8));
            return (digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "JdbcTokenCache[" + connectorId + "/" + instanceId + "]";
    }
}
