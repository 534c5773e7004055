package io.omnihub.hub.connectors;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.schema.ConfigSchema;
import io.omnihub.hub.HubProperties;
import io.omnihub.hub.http.ResilienceRegistries;
import io.omnihub.hub.http.ResilienceSettings;
import io.omnihub.hub.http.ResilientChannelHttpClient;
import io.omnihub.hub.logging.MaskingSystemLogger;
import io.omnihub.routes.privacy.PersonalDataMasker;
import io.omnihub.hub.logging.SecretValues;
import io.omnihub.hub.plugins.CatalogEntry;
import io.omnihub.hub.plugins.ConnectorCatalog;
import io.omnihub.hub.tokens.JdbcTokenCache;
import io.omnihub.routes.ConnectorRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The configured connector instances ({@code hub.connectors.<connector>.<instance>.*}) and their
 * lifecycle; the pipeline finds the running ones through {@link ConnectorRegistry#find}.
 *
 * <p>When a connector becomes available (at start, or when its plugin is copied in later) each of
 * its configured instances is validated against the connector's configuration schema, handed its
 * {@link io.omnihub.connector.ConnectorContext} (resilient HTTP client, cluster-wide token cache,
 * clock, masking logger) and opened; its {@code check()} then runs in the background and its result
 * is recorded. A schema violation or {@link ConfigException} leaves the instance FAILED until its
 * configuration changes; any other failure to open is retried with growing backoff (1 s doubling up to
 * 5 min), because "failed is not final" (DESIGN §4). When the plugin goes, its instances are closed
 * before it is unloaded.
 */
public class ConnectorInstances implements ConnectorRegistry, ConnectorCatalog.Listener, InitializingBean, DisposableBean {

    /** The shortest time a quota refusal holds an instance's calls back. */
    private static final Duration MIN_QUOTA_WAIT = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(ConnectorInstances.class);

    private static final Duration FIRST_RESTART_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_RESTART_DELAY = Duration.ofMinutes(5);

    private final ConnectorCatalog catalog;
    private final HttpClient httpClient;
    private final ResilienceRegistries registries;
    private final ResilienceSettings resilience;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Map<String, ManagedInstance> instances = new LinkedHashMap<>();
    private final ScheduledExecutorService background;

    public ConnectorInstances(HubProperties properties, ConnectorCatalog catalog, HttpClient httpClient,
                              ResilienceRegistries registries, DataSource dataSource, Clock clock) {
        this.catalog = catalog;
        this.httpClient = httpClient;
        this.registries = registries;
        this.resilience = properties.getResilience();
        this.jdbc = new JdbcTemplate(dataSource);
        // A transaction manager of our own: the token cache's transactions are on the hub database,
        // whatever other transaction managers (JMS, ...) the application defines.
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.clock = clock;
        properties.getConnectors().forEach((connectorId, byInstance) -> byInstance.forEach((instanceId, config) ->
                instances.put(key(connectorId, instanceId), new ManagedInstance(connectorId, instanceId, config, clock.instant()))));
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "connector-instances");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.background = executor;
    }

    @Override
    public void afterPropertiesSet() {
        catalog.addListener(this);
    }

    @Override
    public void destroy() {
        instances.values().forEach(instance -> instance.close("hub stopped"));
        background.shutdownNow();
    }

    @Override
    public Optional<ConnectorInstance> find(String connectorId, String instanceId) {
        ManagedInstance instance = instances.get(key(connectorId, instanceId));
        return instance == null ? Optional.empty() : instance.runningInstance();
    }

    @Override
    public List<RunningInstance> running() {
        List<RunningInstance> running = new ArrayList<>();
        for (ManagedInstance instance : instances.values()) {
            instance.runningInstance().ifPresent(opened ->
                    running.add(new RunningInstance(instance.connectorId, instance.instanceId, opened)));
        }
        return running;
    }

    @Override
    public void failed(String connectorId, String instanceId, String reason) {
        ManagedInstance instance = instances.get(key(connectorId, instanceId));
        if (instance != null) {
            instance.refused(reason);
        }
    }

    @Override
    public void rateLimited(String connectorId, String instanceId, RateLimitedException refusal) {
        // The channel said when it will accept calls again: hold all of the instance's calls until
        // then (the circuit half-opens afterwards and closes on the first successful trials).
        Duration wait = refusal.retryAfter().compareTo(MIN_QUOTA_WAIT) < 0 ? MIN_QUOTA_WAIT : refusal.retryAfter();
        registries.circuitBreakers().find(key(connectorId, instanceId)).ifPresent(breaker -> {
            if (breaker.getState() != CircuitBreaker.State.OPEN && breaker.getState() != CircuitBreaker.State.FORCED_OPEN) {
                log.warn("Connector instance {}/{}: the channel refused a call for quota; circuit open for {} s",
                        connectorId, instanceId, wait.toSeconds());
                breaker.transitionToOpenStateFor(wait);
            }
        });
    }

    /** Every configured instance, by connector and instance id. */
    public List<InstanceStatus> statuses() {
        return instances.values().stream()
                .map(ManagedInstance::status)
                .sorted(Comparator.comparing(InstanceStatus::connector).thenComparing(InstanceStatus::instance))
                .toList();
    }

    /** One instance's status. */
    public Optional<InstanceStatus> status(String connectorId, String instanceId) {
        return Optional.ofNullable(instances.get(key(connectorId, instanceId))).map(ManagedInstance::status);
    }

    /**
     * Runs the instance's {@code check()} now, in the background; the result shows in its status.
     *
     * @return false when the instance is not RUNNING
     */
    public boolean checkNow(String connectorId, String instanceId) {
        ManagedInstance instance = instances.get(key(connectorId, instanceId));
        if (instance == null || instance.runningInstance().isEmpty()) {
            return false;
        }
        background.execute(instance::check);
        return true;
    }

    @Override
    public void connectorAdded(CatalogEntry entry) {
        instancesOf(entry.connectorId()).forEach(instance -> instance.open(entry));
    }

    @Override
    public void connectorRemoved(CatalogEntry entry) {
        instancesOf(entry.connectorId()).forEach(instance ->
                instance.close("plugin '" + entry.pluginId() + "' stopped"));
    }

    private List<ManagedInstance> instancesOf(String connectorId) {
        return instances.values().stream().filter(instance -> instance.connectorId.equals(connectorId)).toList();
    }

    private static String key(String connectorId, String instanceId) {
        return connectorId + "/" + instanceId;
    }

    /** One configured instance and what happened to it. Guarded by its own monitor. */
    private final class ManagedInstance {

        private final String connectorId;
        private final String instanceId;
        private final Map<String, String> values;

        private InstanceState state = InstanceState.STOPPED;
        private String error;
        private Instant since;
        private InstanceStatus.CheckStatus lastCheck;
        private InstanceConfig config;
        private ConnectorInstance opened;
        private CatalogEntry openedFrom;
        private int consecutiveFailures;
        private ScheduledFuture<?> restart;

        ManagedInstance(String connectorId, String instanceId, Map<String, String> values, Instant now) {
            this.connectorId = connectorId;
            this.instanceId = instanceId;
            this.values = Map.copyOf(values);
            this.since = now;
            this.error = "connector '" + connectorId + "' is not installed (no started plugin provides it)";
        }

        synchronized Optional<ConnectorInstance> runningInstance() {
            return state == InstanceState.RUNNING ? Optional.ofNullable(opened) : Optional.empty();
        }

        synchronized void open(CatalogEntry entry) {
            if (state == InstanceState.RUNNING) {
                return;
            }
            cancelRestart();
            ConfigSchema schema;
            List<String> problems;
            try {
                schema = ConfigSchema.parse(entry.descriptor().configSchema());
                problems = schema.validate(values);
            } catch (IllegalArgumentException | IllegalStateException e) {
                // The connector's fault, not the operator's.
                fail("the connector's configuration schema is not valid JSON Schema: " + e.getMessage(), false);
                return;
            }
            config = new InstanceConfig(values, schema.secretKeys());
            SecretValues.register(secretValues());
            if (!problems.isEmpty()) {
                fail("invalid configuration: " + String.join("; ", problems), false);
                return;
            }
            InstanceContext context = new InstanceContext(connectorId, instanceId, config,
                    new ResilientChannelHttpClient(connectorId, instanceId, httpClient, registries, resilience),
                    new JdbcTokenCache(jdbc, transactions, clock, connectorId, instanceId),
                    clock,
                    new MaskingSystemLogger(connectorId, instanceId, secretValues()));
            try {
                opened = withClassLoaderOf(entry, () -> entry.connector().open(context));
                if (opened == null) {
                    fail("the connector's open() returned no instance", true);
                    return;
                }
            } catch (ConfigException e) {
                fail(e.getMessage(), false);
                return;
            } catch (RuntimeException | LinkageError e) {
                fail("could not open: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), true);
                log.debug("{}/{} could not open", connectorId, instanceId, e);
                return;
            }
            openedFrom = entry;
            state = InstanceState.RUNNING;
            error = null;
            since = clock.instant();
            consecutiveFailures = 0;
            log.info("Connector instance {}/{} RUNNING", connectorId, instanceId);
            background.execute(this::check);
        }

        synchronized void close(String reason) {
            cancelRestart();
            if (opened != null) {
                ConnectorInstance closing = opened;
                CatalogEntry entry = openedFrom;
                opened = null;
                openedFrom = null;
                try {
                    withClassLoaderOf(entry, () -> {
                        closing.close();
                        return null;
                    });
                } catch (RuntimeException | LinkageError e) {
                    log.warn("{}/{} did not close cleanly: {}", connectorId, instanceId, mask(String.valueOf(e.getMessage())));
                }
                log.info("Connector instance {}/{} STOPPED: {}", connectorId, instanceId, reason);
            }
            state = InstanceState.STOPPED;
            error = reason;
            since = clock.instant();
        }

        /** The channel refused the configuration for good: close, and stay FAILED until an operator acts. */
        synchronized void refused(String reason) {
            if (state != InstanceState.RUNNING) {
                return;
            }
            close("refused by the channel");
            fail(reason, false);
        }

        void check() {
            ConnectorInstance target;
            CatalogEntry entry;
            synchronized (this) {
                target = opened;
                entry = openedFrom;
            }
            if (target == null) {
                return;
            }
            CheckResult result;
            try {
                result = withClassLoaderOf(entry, target::check);
                if (result == null) {
                    result = CheckResult.failed("check() returned nothing");
                }
            } catch (RuntimeException | LinkageError e) {
                result = CheckResult.failed("check() threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            InstanceStatus.CheckStatus status = new InstanceStatus.CheckStatus(result.ok(), mask(result.message()), clock.instant());
            synchronized (this) {
                if (opened == target) {
                    lastCheck = status;
                }
            }
            if (result.ok()) {
                log.info("Connector instance {}/{} check passed: {}", connectorId, instanceId, status.message());
            } else {
                log.warn("Connector instance {}/{} check failed: {}", connectorId, instanceId, status.message());
            }
        }

        private void fail(String message, boolean retry) {
            opened = null;
            openedFrom = null;
            state = InstanceState.FAILED;
            error = mask(message);
            since = clock.instant();
            if (!retry) {
                log.warn("Connector instance {}/{} FAILED: {}", connectorId, instanceId, error);
                return;
            }
            consecutiveFailures++;
            Duration delay = restartDelay(consecutiveFailures);
            log.warn("Connector instance {}/{} FAILED: {}; retrying in {} s", connectorId, instanceId, error, delay.toSeconds());
            restart = background.schedule(() -> catalog.find(connectorId).ifPresent(this::open), delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void cancelRestart() {
            if (restart != null) {
                restart.cancel(false);
                restart = null;
            }
        }

        synchronized InstanceStatus status() {
            CircuitBreaker breaker = registries.circuitBreakers().find(key(connectorId, instanceId)).orElse(null);
            return new InstanceStatus(connectorId, instanceId, state, error, since, lastCheck, maskedConfig(),
                    breaker == null ? null : breaker.getState().toString());
        }

        private Map<String, String> maskedConfig() {
            if (config != null) {
                return config.masked();
            }
            // No schema yet says which values are secret: show none of them.
            Map<String, String> masked = new TreeMap<>(values);
            masked.replaceAll((key, value) -> PersonalDataMasker.SECRET_MASK);
            return masked;
        }

        private List<String> secretValues() {
            List<String> secrets = new ArrayList<>();
            if (config != null) {
                values.forEach((key, value) -> {
                    if (config.isSecret(key)) {
                        secrets.add(value);
                    }
                });
            }
            return secrets;
        }

        private String mask(String text) {
            return PersonalDataMasker.mask(text, secretValues());
        }
    }

    static Duration restartDelay(int consecutiveFailures) {
        long factor = 1L << Math.min(consecutiveFailures - 1, 20);
        Duration delay = FIRST_RESTART_DELAY.multipliedBy(factor);
        return delay.compareTo(MAX_RESTART_DELAY) > 0 ? MAX_RESTART_DELAY : delay;
    }

    // Libraries inside a plugin (XML parsers, ServiceLoader users) look at the context class loader.
    private static <T> T withClassLoaderOf(CatalogEntry entry, Supplier<T> action) {
        if (entry == null) {
            return action.get();
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(entry.connector().getClass().getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Whether any configured instance uses a connector with this id. */
    public boolean isConfigured(String connectorId) {
        return instances.values().stream().anyMatch(instance -> instance.connectorId.equals(connectorId));
    }

    /** The configured instance ids of a connector. */
    public Set<String> configuredInstances(String connectorId) {
        return instancesOf(connectorId).stream().map(instance -> instance.instanceId)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }
}
