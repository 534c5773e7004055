package io.omnihub.hub.tokens;

import io.omnihub.connector.state.TokenCache;
import io.omnihub.hub.sealing.SealedValueException;
import io.omnihub.hub.sealing.Sealer;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link TokenCache} in PostgreSQL table {@code hub_token_cache}, scoped to one connector
 * instance and shared by every hub node on the same database.
 *
 * <p>Entries are bound to the instance's configuration: each carries a keyed fingerprint of it
 * ({@code binding}, see {@link #binding}), and an instance only sees entries with its own. An
 * instance whose address or credentials change, or that is deleted and created again elsewhere,
 * starts with an empty cache: a token fetched from the real channel is never sent to another host.
 * Values are sealed ({@link Sealer}): a database dump shows no token.
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

    private static final Logger log = LoggerFactory.getLogger(JdbcTokenCache.class);

    // First half of the two-key advisory lock: keeps token locks apart from any other lock user.
    private static final int LOCK_NAMESPACE = 0x746F6B65; // "toke"
    private static final Duration MAX_EARLY_EXPIRY = Duration.ofMinutes(5);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final String connectorId;
    private final String instanceId;
    private final String binding;
    private final Sealer sealer;

    /**
     * @param jdbc         the hub database
     * @param transactions transactions on the same data source as {@code jdbc}
     * @param clock        the hub's clock; expiry is judged with it
     * @param connectorId  the connector the entries belong to
     * @param instanceId   the instance the entries belong to
     * @param binding      the instance configuration's fingerprint ({@link #binding})
     * @param sealer       seals the values
     */
    public JdbcTokenCache(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock, String connectorId, String instanceId,
                          String binding, Sealer sealer) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.connectorId = Objects.requireNonNull(connectorId, "connectorId");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.binding = Objects.requireNonNull(binding, "binding");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
    }

    /**
     * The binding of an instance's cache entries: a keyed fingerprint of its whole configuration
     * (addresses, ids and secrets alike, in key order), which reveals nothing about the configuration.
     */
    public static String binding(Sealer sealer, java.util.Map<String, String> config) {
        StringBuilder canonical = new StringBuilder();
        new java.util.TreeMap<>(config).forEach((key, value) -> canonical.append(key).append('\u0000').append(value).append('\u0000'));
        return sealer.fingerprint("hub_token_cache\u0000" + canonical);
    }

    /**
     * Drops an instance's entries that belong to another configuration than {@code binding} (all of
     * them for {@code null}: the instance was deleted).
     *
     * @return how many entries went
     */
    public static int forgetAllBut(JdbcTemplate jdbc, String connectorId, String instanceId, String binding) {
        return binding == null
                ? jdbc.update("delete from hub_token_cache where connector_id = ? and instance_id = ?", connectorId, instanceId)
                : jdbc.update("delete from hub_token_cache where connector_id = ? and instance_id = ? and binding <> ?",
                        connectorId, instanceId, binding);
    }

    /** Drops entries that expired more than {@code grace} ago; the cache never returns them anyway. */
    public static int deleteExpired(JdbcTemplate jdbc, Instant now, Duration grace) {
        return jdbc.update("delete from hub_token_cache where expires_at < ?", Timestamp.from(now.minus(grace)));
    }

    @Override
    public Optional<String> get(String key) {
        List<String> values = jdbc.queryForList(
                "select value from hub_token_cache where connector_id = ? and instance_id = ? and cache_key = ? and binding = ? and expires_at > ?",
                String.class, connectorId, instanceId, key, binding, Timestamp.from(clock.instant()));
        if (values.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(sealer.open(values.get(0), context(key)));
        } catch (SealedValueException e) {
            // Sealed with a retired key, or tampered with: a cached token can always be fetched again.
            log.warn("Token cache {}/{}: dropping an entry that does not open ({})", connectorId, instanceId, e.getMessage());
            invalidate(key);
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        Objects.requireNonNull(value, "value");
        Instant now = clock.instant();
        jdbc.update("""
                insert into hub_token_cache (connector_id, instance_id, cache_key, value, expires_at, updated_at, binding)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (connector_id, instance_id, cache_key)
                do update set value = excluded.value, expires_at = excluded.expires_at, updated_at = excluded.updated_at,
                              binding = excluded.binding
                """,
                connectorId, instanceId, key, sealer.seal(value, context(key)), Timestamp.from(expiresAt(now, ttl)), Timestamp.from(now), binding);
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

    private String context(String key) {
        return "hub_token_cache/" + connectorId + "/" + instanceId + "/" + key;
    }

    private int lockKey(String key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha256.digest((connectorId + '\u0000' + instanceId + '\u0000' + binding + '\u0000' + key)
                    .getBytes(StandardCharsets.UTF_8));
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
