package io.omnihub.hub.database;

import io.omnihub.hub.HubApplication;
import io.omnihub.hub.HubProperties;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Starts the embedded PostgreSQL (initdb on the first start) on a thread of its own as soon as the
 * hub's configuration is complete, before any bean exists, so the server comes up while Spring is
 * still loading classes and parsing configuration instead of after it: the two are independent, and
 * PostgreSQL is a separate process running on another core. The {@code embeddedPostgres} bean then takes the running
 * server over (waiting for it if need be); should the hub fail to start before that, the server is
 * stopped here.
 *
 * <p>Only for the hub's own application ({@link HubApplication} among its sources) with no
 * {@code spring.datasource.url} (the {@link EmbeddedDatabaseCondition}); any other application on
 * this class path starts its database, if any, the ordinary way.
 */
public class EmbeddedPostgresEarlyStart implements ApplicationListener<SpringApplicationEvent> {

    private volatile Launch launch;

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        // Context initialized: the environment is final (test property sources included), no bean exists yet.
        if (event instanceof ApplicationContextInitializedEvent initialized
                && initialized.getSpringApplication().getAllSources().contains(HubApplication.class)
                && !StringUtils.hasText(initialized.getApplicationContext().getEnvironment().getProperty("spring.datasource.url"))) {
            Launch started = Launch.begin(initialized.getApplicationContext().getEnvironment());
            launch = started;
            initialized.getApplicationContext().getBeanFactory().registerSingleton("embeddedPostgresLaunch", started);
        } else if (event instanceof ApplicationFailedEvent && launch != null) {
            launch.stopUnlessTaken();
        }
    }

    /** A server being started in the background, handed to whoever {@link #take}s it first. */
    static final class Launch {

        private final CompletableFuture<EmbeddedPostgresServer> server;
        private final AtomicBoolean taken = new AtomicBoolean();

        private Launch(CompletableFuture<EmbeddedPostgresServer> server) {
            this.server = server;
        }

        static Launch begin(Environment environment) {
            Binder binder = Binder.get(environment);
            Path dataDir = binder.bind("hub.data-dir", Path.class).orElseGet(() -> new HubProperties().getDataDir());
            HubProperties.EmbeddedDatabase settings = binder.bindOrCreate("hub.embedded-database", HubProperties.EmbeddedDatabase.class);
            CompletableFuture<EmbeddedPostgresServer> server = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    server.complete(EmbeddedDatabaseConfiguration.start(dataDir, settings));
                } catch (Throwable e) {
                    server.completeExceptionally(e);
                }
            }, "embedded-postgres-start");
            thread.setDaemon(true);
            thread.start();
            return new Launch(server);
        }

        /**
         * Waits for the server and takes ownership of it (closing it becomes the taker's job); empty,
         * with nothing left running, when it serves another directory than {@code expectedDir}
         * (configuration that changed after the start began).
         */
        Optional<EmbeddedPostgresServer> take(Path expectedDir) {
            taken.set(true);
            EmbeddedPostgresServer started;
            try {
                started = server.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
            }
            if (started.dataDir().equals(expectedDir.toAbsolutePath().normalize())) {
                return Optional.of(started);
            }
            started.close();
            return Optional.empty();
        }

        /** The start failed or nobody took the server: stop it, rather than leave a postmaster behind. */
        void stopUnlessTaken() {
            if (taken.compareAndSet(false, true)) {
                try {
                    server.join().close();
                } catch (CompletionException failedToStart) {
                    // nothing running to stop
                }
            }
        }
    }
}
