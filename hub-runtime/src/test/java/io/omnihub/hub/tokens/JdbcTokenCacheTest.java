package io.omnihub.hub.tokens;

import io.omnihub.testsupport.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.state.TokenCache;
import io.omnihub.hub.RunningHub;
import io.omnihub.hub.sealing.Sealer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The cluster-wide token cache, on the hub's real PostgreSQL. */
class JdbcTokenCacheTest extends RunningHub {

    @Autowired
    DataSource dataSource;

    @Autowired
    Sealer sealer;

    private final TestClock clock = TestClock.at(Instant.parse("2026-01-01T00:00:00Z"));

    private JdbcTokenCache cache(String instance) {
        return cache(instance, Map.of("app-id", "wx0123456789abcdef", "api-base-url", "https://api.weixin.qq.com"));
    }

    private JdbcTokenCache cache(String instance, Map<String, String> config) {
        return new JdbcTokenCache(new JdbcTemplate(dataSource), new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                clock, "wechat", instance, JdbcTokenCache.binding(sealer, config), sealer);
    }

    @Test
    void fourThreadsAskingAtOnceFetchOnce() throws Exception {
        String instance = "concurrent-" + UUID.randomUUID();
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                // Each thread has its own cache object, as each hub node would.
                TokenCache cache = cache(instance);
                Callable<String> ask = () -> {
                    start.await();
                    return cache.getOrFetch("access_token", () -> {
                        int fetch = fetches.incrementAndGet();
                        sleep(300); // a slow channel: the others arrive while this fetch runs
                        return new TokenCache.Token("token-" + fetch, Duration.ofHours(2));
                    });
                };
                answers.add(threads.submit(ask));
            }
            start.countDown();
            List<String> tokens = new ArrayList<>();
            for (Future<String> answer : answers) {
                tokens.add(answer.get(30, TimeUnit.SECONDS));
            }

            assertThat(fetches).hasValue(1);
            assertThat(tokens).containsOnly("token-1");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void entryExpiresALittleBeforeTheChannelSaid() {
        TokenCache cache = cache("expiry-" + UUID.randomUUID());
        cache.put("access_token", "abc", Duration.ofSeconds(7200));

        clock.advance(Duration.ofSeconds(7200 - 301));
        assertThat(cache.get("access_token")).contains("abc");

        clock.advance(Duration.ofSeconds(2));
        assertThat(cache.get("access_token")).isEmpty();
        assertThat(cache.getOrFetch("access_token", () -> new TokenCache.Token("fresh", Duration.ofSeconds(7200)))).isEqualTo("fresh");
    }

    @Test
    void shortLivedEntryKeepsNinetyPercentOfItsLifetime() {
        assertThat(JdbcTokenCache.expiresAt(Instant.EPOCH, Duration.ofSeconds(60))).isEqualTo(Instant.EPOCH.plusSeconds(54));
        assertThat(JdbcTokenCache.expiresAt(Instant.EPOCH, Duration.ofHours(2))).isEqualTo(Instant.EPOCH.plusSeconds(7200 - 300));
    }

    @Test
    void invalidatedEntryIsFetchedAgain() {
        TokenCache cache = cache("invalidate-" + UUID.randomUUID());
        assertThat(cache.getOrFetch("k", () -> new TokenCache.Token("first", Duration.ofHours(1)))).isEqualTo("first");

        cache.invalidate("k");

        assertThat(cache.get("k")).isEmpty();
        assertThat(cache.getOrFetch("k", () -> new TokenCache.Token("second", Duration.ofHours(1)))).isEqualTo("second");
    }

    @Test
    void instancesDoNotSeeEachOthersEntries() {
        TokenCache brandA = cache("a-" + UUID.randomUUID());
        TokenCache brandB = cache("b-" + UUID.randomUUID());

        brandA.put("access_token", "token-of-a", Duration.ofHours(1));

        assertThat(brandB.get("access_token")).isEmpty();
        assertThat(brandA.get("access_token")).contains("token-of-a");
    }

    @Test
    void anInstanceMovedToAnotherAddressIsNeverHandedTheTokenCachedForTheRealOne() {
        String instance = "moved-" + UUID.randomUUID();
        Map<String, String> real = Map.of("app-id", "wx0123456789abcdef", "app-secret", "real-secret", "api-base-url", "https://api.weixin.qq.com");
        Map<String, String> moved = Map.of("app-id", "wx0123456789abcdef", "app-secret", "dummy", "api-base-url", "https://collector.evil.example");
        cache(instance, real).put("access_token", "REAL-ACCESS-TOKEN", Duration.ofHours(2));

        TokenCache afterTheMove = cache(instance, moved);

        assertThat(afterTheMove.get("access_token")).isEmpty();
        assertThat(afterTheMove.getOrFetch("access_token", () -> new TokenCache.Token("token-from-the-new-host", Duration.ofHours(2))))
                .isEqualTo("token-from-the-new-host");
    }

    @Test
    void forgettingAnInstanceDropsItsEntriesOfOtherConfigurationsOrAll() {
        String instance = "forget-" + UUID.randomUUID();
        Map<String, String> before = Map.of("base-url", "https://erp.example.com/k3cloud");
        Map<String, String> after = Map.of("base-url", "https://erp2.example.com/k3cloud");
        cache(instance, before).put("session", "old-session", Duration.ofHours(1));
        cache(instance, after).put("kept", "new-session", Duration.ofHours(1));
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);

        assertThat(JdbcTokenCache.forgetAllBut(jdbc, "wechat", instance, JdbcTokenCache.binding(sealer, after))).isEqualTo(1);
        assertThat(cache(instance, after).get("kept")).contains("new-session");
        assertThat(JdbcTokenCache.forgetAllBut(jdbc, "wechat", instance, null)).isEqualTo(1);
        assertThat(cache(instance, after).get("kept")).isEmpty();
    }

    @Test
    void theDatabaseHoldsTheTokenSealedAndTheBindingRevealsNothing() {
        String instance = "sealed-" + UUID.randomUUID();
        cache(instance).put("access_token", "ACCESS-TOKEN-IN-CLEAR", Duration.ofHours(2));

        Map<String, Object> row = new JdbcTemplate(dataSource).queryForMap(
                "select value, binding from hub_token_cache where instance_id = ?", instance);

        assertThat((String) row.get("value")).startsWith("sealed:v1:").doesNotContain("ACCESS-TOKEN-IN-CLEAR");
        assertThat((String) row.get("binding")).matches("[0-9a-f]{64}").doesNotContain("wx0123456789abcdef");
        assertThat(cache(instance).get("access_token")).contains("ACCESS-TOKEN-IN-CLEAR");
    }

    @Test
    void anEntryThatDoesNotOpenIsDroppedAndFetchedAgain() {
        String instance = "tampered-" + UUID.randomUUID();
        cache(instance).put("access_token", "original", Duration.ofHours(2));
        new JdbcTemplate(dataSource).update("update hub_token_cache set value = 'plain-text-from-before' where instance_id = ?", instance);

        assertThat(cache(instance).get("access_token")).isEmpty();
        assertThat(cache(instance).getOrFetch("access_token", () -> new TokenCache.Token("refetched", Duration.ofHours(2)))).isEqualTo("refetched");
    }

    @Test
    void expiredEntriesAreDeletedAfterTheirGrace() {
        String instance = "expired-" + UUID.randomUUID();
        cache(instance).put("nonce:1", "x", Duration.ofMinutes(10));
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);

        JdbcTokenCache.deleteExpired(jdbc, clock.instant().plus(Duration.ofMinutes(30)), Duration.ofHours(1));
        assertThat(jdbc.queryForObject("select count(*) from hub_token_cache where instance_id = ?", Integer.class, instance)).isEqualTo(1);
        JdbcTokenCache.deleteExpired(jdbc, clock.instant().plus(Duration.ofHours(2)), Duration.ofHours(1));
        assertThat(jdbc.queryForObject("select count(*) from hub_token_cache where instance_id = ?", Integer.class, instance)).isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
