package io.omnihub.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.testsupport.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final TestClock clock = TestClock.at(Instant.parse("2026-03-01T09:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, 3, 5, Duration.ofMinutes(15), Duration.ofMinutes(5));

    @Test
    void theThirdFailureOfAUserLocksThatUserForTheLockoutFromAnyAddress() {
        throttle.failed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.2");
        assertThat(throttle.lockedFor("alice", "10.0.0.3")).isEmpty();

        throttle.failed("Alice", "10.0.0.3");

        assertThat(throttle.lockedFor("alice", "10.0.0.9")).hasValue(Duration.ofMinutes(5));
        assertThat(throttle.lockedFor("bob", "10.0.0.1")).isEmpty();
        clock.advance(Duration.ofMinutes(4));
        assertThat(throttle.lockedFor("alice", null)).hasValue(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.lockedFor("alice", null)).isEmpty();
    }

    @Test
    void theFifthFailureFromAnAddressLocksItForEveryName() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "10.0.0.1");
        }

        assertThat(throttle.lockedFor("admin", "10.0.0.1")).isPresent();
        assertThat(throttle.lockedFor("admin", "10.0.0.2")).isEmpty();
    }

    @Test
    void failuresFurtherApartThanTheWindowDoNotAddUp() {
        throttle.failed("alice", null);
        throttle.failed("alice", null);
        clock.advance(Duration.ofMinutes(16));

        throttle.failed("alice", null);

        assertThat(throttle.lockedFor("alice", null)).isEmpty();
    }

    @Test
    void aSuccessfulLoginForgetsTheUsersFailuresButNotTheAddresss() {
        for (int i = 0; i < 4; i++) {
            throttle.failed(i % 2 == 0 ? "alice" : "admin", "10.0.0.1");
            throttle.succeeded("alice");
            throttle.succeeded("admin");
        }
        assertThat(throttle.lockedFor("alice", null)).isEmpty();

        throttle.failed("carol", "10.0.0.1");

        assertThat(throttle.lockedFor(null, "10.0.0.1")).isPresent();
    }

    @Test
    void itForgetsOldEntriesInsteadOfGrowingWithoutBound() {
        for (int i = 0; i < LoginThrottle.MAX_TRACKED + 10; i++) {
            throttle.failed(null, "addr-" + i);
        }

        throttle.failed(null, "addr-last");

        assertThat(throttle.tracked()).isLessThanOrEqualTo(LoginThrottle.MAX_TRACKED);
    }
}
