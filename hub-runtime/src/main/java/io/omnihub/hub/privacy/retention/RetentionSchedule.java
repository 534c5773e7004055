package io.omnihub.hub.privacy.retention;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/** Asks the {@link RetentionSweep} every check interval whether the day's sweep is due, on a thread of its own. */
public final class RetentionSchedule implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);

    private final RetentionSweep sweep;
    private final Duration interval;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "retention-sweep");
        thread.setDaemon(true);
        return thread;
    });

    public RetentionSchedule(RetentionSweep sweep, Duration interval) {
        this.sweep = sweep;
        this.interval = interval;
    }

    @Override
    public void afterPropertiesSet() {
        executor.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            sweep.runDue();
        } catch (RuntimeException e) {
            log.warn("Could not run the retention sweep: {}", e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
