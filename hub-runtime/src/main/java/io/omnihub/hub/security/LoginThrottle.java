package io.omnihub.hub.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per user name and per client address and locks either out for a while once
 * it has failed too often, so a stream of wrong passwords neither guesses one nor keeps the CPU
 * busy with password hashing: while locked, an attempt is refused before any password is checked.
 *
 * <p>Failures count within a window that starts at the first failure; the count starts again once
 * the window has passed. A successful login clears that user's count (not the address's: an
 * attacker holding one valid login must not reset the count of the addresses they guess from).
 *
 * <p>State is per hub node and in memory: a node forgets it at restart, and N nodes behind a load
 * balancer allow up to N times the attempts. Thread-safe.
 */
public final class LoginThrottle {

    /** More tracked names and addresses than this, and the oldest are forgotten first. */
    static final int MAX_TRACKED = 100_000;

    private final Clock clock;
    private final int maxFailuresPerUser;
    private final int maxFailuresPerAddress;
    private final Duration window;
    private final Duration lockout;
    private final Map<String, Failures> users = new ConcurrentHashMap<>();
    private final Map<String, Failures> addresses = new ConcurrentHashMap<>();

    /**
     * @param maxFailuresPerUser    failures of one user name, from anywhere, before it is locked
     * @param maxFailuresPerAddress failures from one client address, for any names, before it is locked
     * @param window                how long failures are counted together
     * @param lockout               how long a lock lasts
     */
    public LoginThrottle(Clock clock, int maxFailuresPerUser, int maxFailuresPerAddress, Duration window, Duration lockout) {
        if (maxFailuresPerUser < 1 || maxFailuresPerAddress < 1 || window.isNegative() || window.isZero()
                || lockout.isNegative() || lockout.isZero()) {
            throw new IllegalArgumentException("login throttle limits must be positive");
        }
        this.clock = clock;
        this.maxFailuresPerUser = maxFailuresPerUser;
        this.maxFailuresPerAddress = maxFailuresPerAddress;
        this.window = window;
        this.lockout = lockout;
    }

    /** How long {@code user} or {@code address} stays locked out, or empty when it may try. */
    public Optional<Duration> lockedFor(String user, String address) {
        Instant now = clock.instant();
        Duration longest = Duration.ZERO;
        for (Failures failures : new Failures[] {user == null ? null : users.get(userKey(user)),
                address == null ? null : addresses.get(address)}) {
            if (failures != null) {
                Duration left = failures.lockedFor(now);
                if (left.compareTo(longest) > 0) {
                    longest = left;
                }
            }
        }
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    /** Records a failed attempt (a wrong password, an unknown user or API token). */
    public void failed(String user, String address) {
        Instant now = clock.instant();
        if (user != null) {
            record(users, userKey(user), maxFailuresPerUser, now);
        }
        if (address != null) {
            record(addresses, address, maxFailuresPerAddress, now);
        }
    }

    /** Records a successful login of {@code user}: its failures are forgotten. */
    public void succeeded(String user) {
        if (user != null) {
            users.remove(userKey(user));
        }
    }

    /** How many names and addresses are tracked now. */
    int tracked() {
        return Math.max(users.size(), addresses.size());
    }

    private void record(Map<String, Failures> map, String key, int max, Instant now) {
        map.compute(key, (k, previous) -> (previous == null ? new Failures() : previous).fail(now, max, window, lockout));
        if (map.size() > MAX_TRACKED) {
            forgetOldest(map, now);
        }
    }

    private void forgetOldest(Map<String, Failures> map, Instant now) {
        map.entrySet().removeIf(entry -> entry.getValue().forgettable(now, window));
        if (map.size() > MAX_TRACKED) {
            map.entrySet().stream()
                    .sorted(Comparator.comparing(entry -> entry.getValue().since))
                    .limit(map.size() - MAX_TRACKED / 2L)
                    .map(Map.Entry::getKey)
                    .toList()
                    .forEach(map::remove);
        }
    }

    private static String userKey(String user) {
        return user.trim().toLowerCase(Locale.ROOT);
    }

    /** Failures of one name or address. Changed only inside {@link Map#compute}. */
    private static final class Failures {
        private volatile Instant since = Instant.MIN;
        private int count;
        private volatile Instant lockedUntil = Instant.MIN;

        Failures fail(Instant now, int max, Duration window, Duration lockout) {
            if (now.isAfter(since.plus(window))) {
                since = now;
                count = 0;
            }
            count++;
            if (count >= max) {
                lockedUntil = now.plus(lockout);
                since = now;
                count = 0;
            }
            return this;
        }

        Duration lockedFor(Instant now) {
            return now.isBefore(lockedUntil) ? Duration.between(now, lockedUntil) : Duration.ZERO;
        }

        boolean forgettable(Instant now, Duration window) {
            return !now.isBefore(lockedUntil) && now.isAfter(since.plus(window));
        }
    }
}
