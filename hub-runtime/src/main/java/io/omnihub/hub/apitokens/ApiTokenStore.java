package io.omnihub.hub.apitokens;

import io.omnihub.hub.HubProperties.Security.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * API tokens in PostgreSQL ({@code hub_api_token}), shared by every hub node: a token created or
 * revoked on one node holds on all of them at the next request.
 *
 * <p>A token is {@code ohk_} and 32 random bytes (256 bits, base64url). Only its SHA-256 is stored:
 * with that much entropy a fast hash cannot be reversed by guessing, so checking a token costs one
 * hash and one indexed lookup instead of a password hash per request.
 */
public class ApiTokenStore {

    /** What every token starts with, so secret scanners and people recognise one. */
    public static final String PREFIX = "ohk_";
    private static final int SECRET_BYTES = 32;
    private static final int HINT_LENGTH = PREFIX.length() + 4;
    /** {@code last_used_at} is written at most this often per token, not at every request. */
    private static final Duration USE_RESOLUTION = Duration.ofMinutes(1);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> lastUseWritten = new ConcurrentHashMap<>();

    public ApiTokenStore(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /** Creates a token; the returned secret is never stored and cannot be shown again. */
    public IssuedApiToken issue(String name, Role role, boolean reveal, Instant expiresAt, String actor) {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        String id = "tok_" + HexFormat.of().formatHex(idBytes);
        Instant now = clock.instant();
        ApiToken token = new ApiToken(id, name, role, secret.substring(0, HINT_LENGTH), now, actor, expiresAt, null, null, null, reveal);
        jdbc.update("""
                INSERT INTO hub_api_token (id, name, role, token_sha256, hint, created_at, created_by, expires_at, reveal)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, id, name, role.name(), sha256(secret), token.hint(), Timestamp.from(now), actor,
                expiresAt == null ? null : Timestamp.from(expiresAt), reveal);
        return new IssuedApiToken(token, secret);
    }

    /** Every token, revoked and expired ones included, newest first. */
    public List<ApiToken> list() {
        return jdbc.query("SELECT * FROM hub_api_token ORDER BY created_at DESC, id", (row, n) -> token(row));
    }

    public Optional<ApiToken> find(String id) {
        return jdbc.query("SELECT * FROM hub_api_token WHERE id = ?", (row, n) -> token(row), id).stream().findFirst();
    }

    /**
     * Revokes a token: requests carrying it are refused from now on, on every node.
     *
     * @return the token as it is now, or empty when there is no such token
     */
    public Optional<ApiToken> revoke(String id, String actor) {
        jdbc.update("UPDATE hub_api_token SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
                Timestamp.from(clock.instant()), actor, id);
        return find(id);
    }

    /**
     * The active token with this secret, or empty for an unknown, revoked or expired one. Notes the
     * use (to the minute).
     */
    public Optional<ApiToken> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<ApiToken> found = jdbc.query("SELECT * FROM hub_api_token WHERE token_sha256 = ?", (row, n) -> token(row), sha256(secret))
                .stream().findFirst().filter(token -> token.activeAt(now));
        found.ifPresent(token -> noteUse(token.id(), now));
        return found;
    }

    private void noteUse(String id, Instant now) {
        Instant written = lastUseWritten.get(id);
        if (written != null && written.plus(USE_RESOLUTION).isAfter(now)) {
            return;
        }
        lastUseWritten.put(id, now);
        jdbc.update("UPDATE hub_api_token SET last_used_at = ? WHERE id = ?", Timestamp.from(now), id);
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static ApiToken token(ResultSet row) throws SQLException {
        return new ApiToken(row.getString("id"), row.getString("name"), Role.valueOf(row.getString("role")), row.getString("hint"),
                instant(row, "created_at"), row.getString("created_by"), instant(row, "expires_at"), instant(row, "last_used_at"),
                instant(row, "revoked_at"), row.getString("revoked_by"), row.getBoolean("reveal"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
