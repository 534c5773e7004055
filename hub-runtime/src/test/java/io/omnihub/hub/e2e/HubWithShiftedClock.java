package io.omnihub.hub.e2e;

import io.omnihub.hub.HubApplication;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The hub in a child process whose clock runs {@code --omnihub.test.clock-shift} (ISO-8601, e.g.
 * {@code PT25H}) ahead of the wall clock: a test starts it "a day later" instead of waiting a day.
 */
public final class HubWithShiftedClock {

    private HubWithShiftedClock() {
    }

    public static void main(String[] args) {
        SpringApplication.run(new Class<?>[] {HubApplication.class, ShiftedClock.class}, args);
    }

    /** Registered by name, not found by scanning: no other context started from the test class path picks it up. */
    static class ShiftedClock {
        @Bean
        @Primary
        Clock shiftedClock(org.springframework.core.env.Environment environment) {
            return Clock.offset(Clock.systemUTC(), Duration.parse(environment.getProperty("omnihub.test.clock-shift", "PT0S")));
        }
    }
}
