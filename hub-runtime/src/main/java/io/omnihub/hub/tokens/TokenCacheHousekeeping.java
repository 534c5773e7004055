package io.omnihub.hub.tokens;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Deletes expired token cache entries every ten minutes (an hour after they expired), so the table
 * holds what is in use and not every token and nonce ever cached. Any node may do it; doing it twice
 * harms nothing.
 */
public final class TokenCacheHousekeeping implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TokenCacheHousekeeping.class);
    private static final Duration INTERVAL = Duration.ofMinutes(10);
    private static final Duration GRACE = Duration.ofHours(1);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "token-cache-housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    public TokenCacheHousekeeping(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    @Override
    public void afterPropertiesSet() {
        executor.scheduleWithFixedDelay(this::deleteExpired, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    void deleteExpired() {
        try {
            int deleted = JdbcTokenCache.deleteExpired(jdbc, clock.instant(), GRACE);
            if (deleted > 0) {
                log.debug("Deleted {} expired token cache entries", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("Could not delete expired token cache entries: {}", e.getMessage());
        }
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
