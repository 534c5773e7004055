package io.omnihub.routes.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackoffTest {

    final Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10), 5);
    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void delaysGrowExponentiallyWithJitterUpToTheCap() {
        assertThat(backoff.delayAfter(1, null)).isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
        assertThat(backoff.delayAfter(3, null)).isBetween(Duration.ofMillis(6400), Duration.ofMillis(9600));
        assertThat(backoff.delayAfter(30, null)).isBetween(Duration.ofMinutes(8), Duration.ofMinutes(12));
    }

    @Test
    void aChannelsRetryAfterIsHonoured() {
        assertThat(backoff.delayAfter(1, Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aRetriedMessageIsScheduledAndCountsItsAttempts() {
        BrokerMessage original = BrokerMessage.to("hub.raw", new byte[] {1}, Map.of(Headers.CONNECTOR, "wechat"));

        BrokerMessage retry = backoff.retry(original, clock, "WeChat API unreachable", null);

        assertThat(retry.queue()).isEqualTo("hub.raw");
        assertThat(retry.intProperty(Headers.ATTEMPTS, 0)).isEqualTo(1);
        assertThat(retry.longProperty(Headers.FIRST_FAILURE_AT, 0)).isEqualTo(clock.millis());
        assertThat(retry.longProperty(Headers.SCHEDULED_DELIVERY, 0)).isGreaterThan(clock.millis());
        assertThat(retry.stringProperty(Headers.CONNECTOR)).isEqualTo("wechat");
    }

    @Test
    void retriesStopAtTheLimit() {
        assertThat(backoff.allowsRetry(4)).isTrue();
        assertThat(backoff.allowsRetry(5)).isFalse();
    }
}
