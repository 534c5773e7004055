package io.omnihub.hub.automation;

import io.omnihub.crm.automation.DefinitionFolder;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Loads the automation definitions when the hub starts and looks for changes every
 * {@code hub.automation.scan-interval}: files added, changed or removed in {@code hub.automation.dir},
 * and definitions another node wrote over the API.
 */
public final class DefinitionFolderWatch implements InitializingBean, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionFolderWatch.class);

    private final DefinitionFolder folder;
    private final Duration interval;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "automation-definitions");
        thread.setDaemon(true);
        return thread;
    });

    public DefinitionFolderWatch(DefinitionFolder folder, Duration interval) {
        this.folder = folder;
        this.interval = interval;
    }

    public DefinitionFolder folder() {
        return folder;
    }

    @Override
    public void afterPropertiesSet() {
        folder.reload();
        executor.scheduleWithFixedDelay(this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        try {
            folder.refresh();
        } catch (RuntimeException e) {
            // the database may be down for a moment: the definitions in force stay, the next look retries
            LOG.warn("automation definitions not refreshed: {}", e.getMessage());
        }
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
