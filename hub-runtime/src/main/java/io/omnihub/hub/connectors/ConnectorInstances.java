package io.omnihub.hub.connectors;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.schema.ConfigSchema;
import io.omnihub.hub.HubProperties;
import io.omnihub.hub.cluster.ClusterChanges;
import io.omnihub.hub.http.ResilienceRegistries;
import io.omnihub.hub.http.ResilienceSettings;
import io.omnihub.hub.http.ResilientChannelHttpClient;
import io.omnihub.hub.logging.MaskingSystemLogger;
import io.omnihub.routes.privacy.PersonalDataMasker;
import io.omnihub.hub.logging.SecretValues;
import io.omnihub.hub.plugins.CatalogEntry;
import io.omnihub.hub.plugins.ConnectorCatalog;
import io.omnihub.hub.sealing.Sealer;
import io.omnihub.hub.tokens.JdbcTokenCache;
import io.omnihub.routes.ConnectorRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The configured connector instances and their lifecycle; the pipeline finds the running ones
 * through {@link ConnectorRegistry#find}.
 *
 * <p>Instances come from {@code hub.connectors.<connector>.<instance>.*} (the baseline) and from the
 * API, whose definitions ({@link JdbcInstanceStore}) add instances or replace a baseline instance's
 * configuration. When a connector becomes available (at start, or when its plugin is copied in
 * later) each of its instances is validated against the connector's configuration schema, handed its
 * {@link io.omnihub.connector.ConnectorContext} (resilient HTTP client, cluster-wide token cache,
 * clock, masking logger) and opened; its {@code check()} then runs in the background.
 *
 * <p>Operators pause, resume, stop and restart instances; the state they ask for is stored and
 * applied again after a restart of the hub. A schema violation or {@link ConfigException} leaves the
 * instance FAILED until its configuration changes or an operator restarts it; any other failure to
 * open is retried automatically with growing backoff ({@code hub.instance-restart.*}: 1 s doubling up
 * to 5 min), because "failed is not final" (DESIGN §4). When the plugin goes, its instances are closed
 * before it is unloaded. Closing an instance, for whatever reason, hides it from the pipeline and
 * refuses new calls into it at once; the connector's instance is closed on a thread of its own once
 * the calls in progress have ended ({@link GatedInstance}), so no operator action or status read
 * waits for them. When a plugin goes or the hub stops, those closes are awaited.
 *
 * <p>Several hub nodes on one database act as one: every change an operator makes on any node is
 * stored and announced ({@link ClusterChanges}), and {@link #reconcile} applies what other nodes
 * changed (definitions created, changed or deleted; pause, resume, stop, restart) within
 * {@code hub.cluster.sync-interval}.
 */
public class ConnectorInstances implements ConnectorRegistry, ConnectorCatalog.Listener, InitializingBean, DisposableBean {

    /** How long a connector's own close() may take, after its calls have ended, before the hub goes on. */
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(10);

    /** The shortest time a quota refusal holds an instance's calls back. */
    private static final Duration MIN_QUOTA_WAIT = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(ConnectorInstances.class);

    /** Instance ids created over the API: they become part of webhook URLs and metric tags. */
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    static final String SOURCE_PROPERTIES = "properties";
    static final String SOURCE_API = "api";

    private final ConnectorCatalog catalog;
    private final HttpClient httpClient;
    private final ResilienceRegistries registries;
    private final ResilienceSettings resilience;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final JdbcInstanceStore store;
    private final ClusterChanges changes;
    private final Duration firstRestartDelay;
    private final Duration maxRestartDelay;
    /** The properties' instances, as configured, to return to when an API definition is deleted. */
    private final Map<String, Map<String, String>> baseline = new ConcurrentHashMap<>();
    private final Map<String, ManagedInstance> instances = new ConcurrentHashMap<>();
    private final ScheduledExecutorService background;
    /** Closes instances once their calls in progress have ended, away from the instances' monitors. */
    private final ExecutorService closer = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "connector-closer");
        thread.setDaemon(true);
        return thread;
    });

    private final Sealer sealer;

    public ConnectorInstances(HubProperties properties, ConnectorCatalog catalog, HttpClient httpClient,
                              ResilienceRegistries registries, DataSource dataSource, Clock clock, Sealer sealer) {
        this(properties, catalog, httpClient, registries, dataSource, clock, sealer, new ClusterChanges(dataSource, Duration.ofSeconds(1)));
    }

    /** @param changes where changes are announced to the other hub nodes */
    public ConnectorInstances(HubProperties properties, ConnectorCatalog catalog, HttpClient httpClient,
                              ResilienceRegistries registries, DataSource dataSource, Clock clock, Sealer sealer,
                              ClusterChanges changes) {
        this.catalog = catalog;
        this.httpClient = httpClient;
        this.registries = registries;
        this.resilience = properties.getResilience();
        this.jdbc = new JdbcTemplate(dataSource);
        // A transaction manager of our own: the token cache's transactions are on the hub database,
        // whatever other transaction managers (JMS, ...) the application defines.
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.clock = clock;
        this.sealer = sealer;
        this.store = new JdbcInstanceStore(dataSource, sealer, changes);
        this.changes = changes;
        int resealed = store.resealWithCurrentKey();
        if (resealed > 0) {
            log.info("Sealed {} stored instance secret(s) again with the current sealing key {}", resealed, sealer.currentKeyId());
        }
        this.firstRestartDelay = positive(properties.getInstanceRestart().getInitialDelay(), Duration.ofSeconds(1));
        this.maxRestartDelay = positive(properties.getInstanceRestart().getMaxDelay(), Duration.ofMinutes(5));
        Instant now = clock.instant();
        properties.getConnectors().forEach((connectorId, byInstance) -> byInstance.forEach((instanceId, config) -> {
            baseline.put(key(connectorId, instanceId), Map.copyOf(config));
            instances.put(key(connectorId, instanceId), new ManagedInstance(connectorId, instanceId, config, SOURCE_PROPERTIES, now));
        }));
        store.configs().forEach((stored, config) -> instances.put(key(stored.connector(), stored.instance()),
                new ManagedInstance(stored.connector(), stored.instance(), config, SOURCE_API, now)));
        store.desiredStates().forEach((stored, desired) -> {
            ManagedInstance instance = instances.get(key(stored.connector(), stored.instance()));
            if (instance != null) {
                instance.desired = desired.desired();
                instance.generation = desired.generation();
                if (desired.desired() == InstanceState.STOPPED) {
                    instance.error = "stopped by an operator";
                }
            }
        });
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
        changes.subscribe(ClusterChanges.INSTANCES, this::reconcile);
    }

    @Override
    public void destroy() {
        catalog.removeListener(this);
        awaitClosed(instances.values().stream().map(instance -> instance.close("hub stopped")).toList());
        background.shutdownNow();
        closer.shutdown();
    }

    @Override
    public Optional<ConnectorInstance> find(String connectorId, String instanceId) {
        ManagedInstance instance = instances.get(key(connectorId, instanceId));
        return instance == null ? Optional.empty() : instance.runningInstance();
    }

    @Override
    public Optional<ConnectorInstance> receiving(String connectorId, String instanceId) {
        ManagedInstance instance = instances.get(key(connectorId, instanceId));
        return instance == null ? Optional.empty() : instance.openInstance();
    }

    @Override
    public boolean configured(String connectorId, String instanceId) {
        return instances.containsKey(key(connectorId, instanceId));
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
     * @return false when the instance is not open (RUNNING or PAUSED)
     */
    public boolean checkNow(String connectorId, String instanceId) {
        ManagedInstance instance = instances.get(key(connectorId, instanceId));
        if (instance == null || !instance.isOpen()) {
            return false;
        }
        background.execute(instance::check);
        return true;
    }

    /**
     * Sets a RUNNING instance aside: it stays open, but the pipeline stops calling it until it is resumed.
     *
     * @throws InstanceOperationException UNKNOWN, or CONFLICT when it is not RUNNING or PAUSED
     */
    public InstanceStatus pause(String connectorId, String instanceId, String actor) {
        ManagedInstance instance = require(connectorId, instanceId);
        synchronized (instance) {
            if (instance.state != InstanceState.RUNNING && instance.state != InstanceState.PAUSED) {
                throw new InstanceOperationException(InstanceOperationException.Kind.CONFLICT,
                        "instance " + connectorId + "/" + instanceId + " is " + instance.state + "; only a RUNNING instance can be paused");
            }
            instance.desire(InstanceState.PAUSED, actor);
            if (instance.state == InstanceState.RUNNING) {
                instance.enter(InstanceState.PAUSED, null);
                log.info("Connector instance {}/{} PAUSED by {}", connectorId, instanceId, actor);
            }
            return instance.status();
        }
    }

    /**
     * Lets a PAUSED instance run again, or opens a STOPPED one.
     *
     * @throws InstanceOperationException UNKNOWN, or CONFLICT when it is FAILED (restart it instead)
     */
    public InstanceStatus resume(String connectorId, String instanceId, String actor) {
        ManagedInstance instance = require(connectorId, instanceId);
        synchronized (instance) {
            if (instance.state == InstanceState.FAILED) {
                throw new InstanceOperationException(InstanceOperationException.Kind.CONFLICT,
                        "instance " + connectorId + "/" + instanceId + " is FAILED: " + instance.error + "; restart it instead");
            }
            instance.desire(InstanceState.RUNNING, actor);
            if (instance.state == InstanceState.PAUSED) {
                instance.enter(InstanceState.RUNNING, null);
                log.info("Connector instance {}/{} resumed by {}", connectorId, instanceId, actor);
            } else if (instance.state == InstanceState.STOPPED) {
                instance.openIfAvailable();
            }
            return instance.status();
        }
    }

    /** Closes the instance and keeps it STOPPED, across restarts of the hub, until resumed or restarted. */
    public InstanceStatus stop(String connectorId, String instanceId, String actor) {
        ManagedInstance instance = require(connectorId, instanceId);
        synchronized (instance) {
            instance.desire(InstanceState.STOPPED, actor);
            instance.close("stopped by an operator");
            return instance.status();
        }
    }

    /** Closes the instance and opens it again, whatever its state; a FAILED instance gets a fresh start. */
    public InstanceStatus restart(String connectorId, String instanceId, String actor) {
        ManagedInstance instance = require(connectorId, instanceId);
        synchronized (instance) {
            instance.generation = store.saveRestart(connectorId, instanceId, actor, clock.instant());
            instance.desired = InstanceState.RUNNING;
            instance.close("restarting");
            instance.consecutiveFailures = 0;
            instance.openIfAvailable();
            log.info("Connector instance {}/{} restarted by {}: {}", connectorId, instanceId, actor, instance.state);
            return instance.status();
        }
    }

    /**
     * Creates an instance or replaces its configuration, validated against its connector's schema.
     * Secrets are write-only: a secret key that is left out, or given as {@code ******}, keeps the
     * stored value. The instance is reopened with the new configuration, in the state it was asked to be in.
     *
     * @return the instance's status and whether it was created (rather than changed)
     * @throws InstanceOperationException CONFLICT when the connector is not installed (its schema is
     *                                    needed), INVALID when the configuration breaks the schema
     */
    public Defined define(String connectorId, String instanceId, Map<String, String> given, String actor) {
        if (!INSTANCE_ID.matcher(instanceId).matches()) {
            throw new InstanceOperationException(InstanceOperationException.Kind.INVALID,
                    "instance id must be 1-64 letters, digits, '-' or '_', starting with a letter or digit",
                    List.of("instance id '" + instanceId + "' is not allowed"));
        }
        CatalogEntry entry = catalog.find(connectorId).orElseThrow(() -> new InstanceOperationException(
                InstanceOperationException.Kind.CONFLICT, "connector '" + connectorId
                + "' is not installed: its configuration schema is needed to validate the instance"));
        ConfigSchema schema;
        try {
            schema = ConfigSchema.parse(entry.descriptor().configSchema());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InstanceOperationException(InstanceOperationException.Kind.CONFLICT,
                    "connector '" + connectorId + "' has no valid configuration schema: " + e.getMessage());
        }
        synchronized (this) {
            ManagedInstance existing = instances.get(key(connectorId, instanceId));
            Map<String, String> previous = existing == null ? Map.of() : existing.values();
            Map<String, String> merged = new TreeMap<>();
            List<String> problems = new ArrayList<>();
            given.forEach((configKey, value) -> {
                if (value == null) {
                    return;
                }
                if (PersonalDataMasker.SECRET_MASK.equals(value) && !schema.isSecret(configKey)) {
                    problems.add(configKey + ": '" + PersonalDataMasker.SECRET_MASK + "' stands for a secret, but this key is not secret");
                }
                merged.put(configKey, value);
            });
            // A stored secret is only ever sent where it was sent before: change an address and
            // every secret must be given again, or an operator could send it to a host of theirs.
            List<String> movedAddresses = merged.keySet().stream()
                    .filter(ConnectorInstances::isAddressKey)
                    .filter(configKey -> !schema.isSecret(configKey))
                    .filter(configKey -> !Objects.equals(merged.get(configKey), previous.get(configKey)))
                    .toList();
            for (String secret : schema.secretKeys()) {
                String value = merged.get(secret);
                if (value == null || PersonalDataMasker.SECRET_MASK.equals(value)) {
                    if (previous.containsKey(secret) && existing != null && !movedAddresses.isEmpty()) {
                        problems.add(secret + ": " + String.join(", ", movedAddresses)
                                + " changed, so the stored secret is not kept: give it again");
                        merged.remove(secret);
                    } else if (previous.containsKey(secret)) {
                        merged.put(secret, previous.get(secret));
                    } else if (value != null) {
                        problems.add(secret + ": '" + PersonalDataMasker.SECRET_MASK + "' stands for the stored secret, but none is stored");
                        merged.remove(secret);
                    }
                }
            }
            problems.addAll(schema.validate(merged));
            if (!problems.isEmpty()) {
                throw new InstanceOperationException(InstanceOperationException.Kind.INVALID,
                        "invalid configuration for " + connectorId + "/" + instanceId, problems);
            }
            store.saveConfig(connectorId, instanceId, merged, schema.secretKeys(), actor, clock.instant());
            if (existing == null) {
                ManagedInstance created = new ManagedInstance(connectorId, instanceId, merged, SOURCE_API, clock.instant());
                instances.put(key(connectorId, instanceId), created);
                log.info("Connector instance {}/{} created by {}", connectorId, instanceId, actor);
                synchronized (created) {
                    created.openIfAvailable();
                    return new Defined(created.status(), true);
                }
            }
            log.info("Connector instance {}/{} reconfigured by {}", connectorId, instanceId, actor);
            synchronized (existing) {
                existing.reconfigure(merged, SOURCE_API);
                return new Defined(existing.status(), false);
            }
        }
    }

    /** Whether a configuration key names where the instance's calls go (api-base-url, base-url, host). */
    private static boolean isAddressKey(String configKey) {
        String lower = configKey.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith("url") || lower.endsWith("uri") || lower.endsWith("host") || lower.endsWith("endpoint");
    }

    /**
     * The outcome of {@link #define}.
     *
     * @param status  the instance after the change
     * @param created whether it did not exist before
     */
    public record Defined(InstanceStatus status, boolean created) {
    }

    /**
     * Deletes an instance created over the API; for an instance the properties also define, drops
     * the API's changes and returns to the properties' configuration.
     *
     * @return the status the instance returned to, or empty when it is gone
     * @throws InstanceOperationException UNKNOWN, or CONFLICT for an instance only the properties define
     */
    public Optional<InstanceStatus> delete(String connectorId, String instanceId, String actor) {
        synchronized (this) {
            ManagedInstance instance = require(connectorId, instanceId);
            Map<String, String> properties = baseline.get(key(connectorId, instanceId));
            synchronized (instance) {
                if (SOURCE_PROPERTIES.equals(instance.source)) {
                    throw new InstanceOperationException(InstanceOperationException.Kind.CONFLICT,
                            "instance " + connectorId + "/" + instanceId + " is defined by hub.connectors." + connectorId + "."
                                    + instanceId + ".*; remove it there, or stop it");
                }
                store.deleteConfig(connectorId, instanceId);
                if (properties != null) {
                    log.info("Connector instance {}/{}: API changes dropped by {}, back to its properties", connectorId, instanceId, actor);
                    instance.reconfigure(properties, SOURCE_PROPERTIES);
                    return Optional.of(instance.status());
                }
                store.deleteDesiredState(connectorId, instanceId);
                instance.close("deleted by " + actor);
                instances.remove(key(connectorId, instanceId));
                // Its channel tokens go with it: an instance created again under this id starts afresh.
                JdbcTokenCache.forgetAllBut(jdbc, connectorId, instanceId, null);
                log.info("Connector instance {}/{} deleted by {}", connectorId, instanceId, actor);
                return Optional.empty();
            }
        }
    }

    /**
     * Applies what operators changed on any node, as stored: instances created, changed or deleted
     * over the API, and the state each was put in (a restart counts one up and restarts it here too).
     * What this node changed itself is already applied and left as it is.
     */
    public void reconcile() {
        synchronized (this) {
            // Read under the lock that creating and deleting take: a snapshot read before an
            // instance created here would take it for one deleted on another node.
            Map<JdbcInstanceStore.Key, Map<String, String>> configs = store.configs();
            Map<JdbcInstanceStore.Key, JdbcInstanceStore.StoredState> states = store.desiredStates();
            configs.forEach((stored, values) -> {
                ManagedInstance instance = instances.get(key(stored.connector(), stored.instance()));
                if (instance == null) {
                    ManagedInstance created = new ManagedInstance(stored.connector(), stored.instance(), values, SOURCE_API, clock.instant());
                    instances.put(key(stored.connector(), stored.instance()), created);
                    log.info("Connector instance {}/{} created on another node", stored.connector(), stored.instance());
                    synchronized (created) {
                        created.follow(states.getOrDefault(stored, JdbcInstanceStore.StoredState.UNTOUCHED), true);
                    }
                    return;
                }
                synchronized (instance) {
                    if (!SOURCE_API.equals(instance.source) || !instance.values.equals(values)) {
                        log.info("Connector instance {}/{} reconfigured on another node", stored.connector(), stored.instance());
                        instance.reconfigure(values, SOURCE_API);
                    }
                }
            });
            for (ManagedInstance instance : List.copyOf(instances.values())) {
                JdbcInstanceStore.Key stored = new JdbcInstanceStore.Key(instance.connectorId, instance.instanceId);
                synchronized (instance) {
                    if (SOURCE_API.equals(instance.source) && !configs.containsKey(stored)) {
                        Map<String, String> properties = baseline.get(key(instance.connectorId, instance.instanceId));
                        if (properties == null) {
                            instance.close("deleted on another node");
                            instances.remove(key(instance.connectorId, instance.instanceId));
                            log.info("Connector instance {}/{} deleted on another node", instance.connectorId, instance.instanceId);
                            continue;
                        }
                        instance.reconfigure(properties, SOURCE_PROPERTIES);
                    }
                    instance.follow(states.getOrDefault(stored, JdbcInstanceStore.StoredState.UNTOUCHED), false);
                }
            }
        }
    }

    private ManagedInstance require(String connectorId, String instanceId) {
        ManagedInstance instance = instances.get(key(connectorId, instanceId));
        if (instance == null) {
            throw new InstanceOperationException(InstanceOperationException.Kind.UNKNOWN,
                    "no instance '" + instanceId + "' of connector '" + connectorId + "' is configured");
        }
        return instance;
    }

    @Override
    public void connectorAdded(CatalogEntry entry) {
        instancesOf(entry.connectorId()).forEach(instance -> {
            synchronized (instance) {
                if (instance.desired != InstanceState.STOPPED) {
                    instance.open(entry);
                }
            }
        });
    }

    /** Closes the connector's instances and waits until they are closed: the plugin's classes go next. */
    @Override
    public void connectorRemoved(CatalogEntry entry) {
        awaitClosed(instancesOf(entry.connectorId()).stream()
                .map(instance -> instance.close(instance.desired == InstanceState.STOPPED
                        ? "stopped by an operator"
                        : "plugin '" + entry.pluginId() + "' stopped"))
                .toList());
    }

    /** Waits for instances being closed, all at once: each waits up to its drain bound for its calls. */
    private static void awaitClosed(List<CompletableFuture<Void>> closing) {
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .get(GatedInstance.DRAIN_BOUND.plus(CLOSE_BOUND).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Connector instances did not all close in time: {}", e.toString());
        }
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
        private Map<String, String> values;
        private String source;
        /** What operators asked for: RUNNING, PAUSED or STOPPED. */
        private InstanceState desired = InstanceState.RUNNING;
        /** The restarts operators asked for, on any node (see {@link JdbcInstanceStore.StoredState}). */
        private long generation;

        private InstanceState state = InstanceState.STOPPED;
        private String error;
        private Instant since;
        private InstanceStatus.CheckStatus lastCheck;
        private InstanceConfig config;
        private GatedInstance opened;
        /** What the pipeline is handed now; read without this monitor, on every webhook. */
        private volatile Handed handed = Handed.NONE;
        private CatalogEntry openedFrom;
        private int consecutiveFailures;
        private ScheduledFuture<?> restart;
        private Instant nextRestartAt;
        private List<String> warnings = List.of();

        ManagedInstance(String connectorId, String instanceId, Map<String, String> values, String source, Instant now) {
            this.connectorId = connectorId;
            this.instanceId = instanceId;
            this.values = Map.copyOf(values);
            this.source = source;
            this.since = now;
            this.error = "connector '" + connectorId + "' is not installed (no started plugin provides it)";
        }

        synchronized Map<String, String> values() {
            return values;
        }

        Optional<ConnectorInstance> runningInstance() {
            Handed now = handed;
            return now.running() ? Optional.of(now.instance()) : Optional.empty();
        }

        Optional<ConnectorInstance> openInstance() {
            return Optional.ofNullable(handed.instance());
        }

        synchronized boolean isOpen() {
            return opened != null && (state == InstanceState.RUNNING || state == InstanceState.PAUSED);
        }

        synchronized void desire(InstanceState wanted, String actor) {
            desired = wanted;
            store.saveDesiredState(connectorId, instanceId, wanted, actor, clock.instant());
        }

        /**
         * Takes on the state an operator stored on any node: a newer restart generation restarts the
         * instance, another desired state pauses, resumes, opens or closes it.
         *
         * @param fresh a new instance, not opened yet
         */
        synchronized void follow(JdbcInstanceStore.StoredState wanted, boolean fresh) {
            if (fresh || wanted.generation() != generation) {
                boolean restart = !fresh;
                generation = wanted.generation();
                desired = wanted.desired();
                close(restart ? "restarting" : "not opened yet");
                consecutiveFailures = 0;
                if (desired == InstanceState.STOPPED) {
                    error = "stopped by an operator";
                } else {
                    openIfAvailable();
                }
                if (restart) {
                    log.info("Connector instance {}/{} restarted on another node's request: {}", connectorId, instanceId, state);
                }
                return;
            }
            if (wanted.desired() == desired) {
                return;
            }
            desired = wanted.desired();
            switch (desired) {
                case PAUSED -> {
                    if (state == InstanceState.RUNNING) {
                        enter(InstanceState.PAUSED, null);
                    }
                }
                case RUNNING -> {
                    if (state == InstanceState.PAUSED) {
                        enter(InstanceState.RUNNING, null);
                    } else if (state == InstanceState.STOPPED) {
                        openIfAvailable();
                    }
                }
                default -> close("stopped by an operator");
            }
            log.info("Connector instance {}/{} {} on another node's request", connectorId, instanceId, state);
        }

        synchronized void enter(InstanceState next, String reason) {
            state = next;
            error = reason;
            since = clock.instant();
            publish();
        }

        /** Hands the pipeline what it may call now. */
        private void publish() {
            handed = isOpen() ? new Handed(opened, state == InstanceState.RUNNING) : Handed.NONE;
        }

        synchronized void openIfAvailable() {
            Optional<CatalogEntry> entry = catalog.find(connectorId);
            if (entry.isPresent()) {
                open(entry.get());
            } else {
                enter(InstanceState.STOPPED, "connector '" + connectorId + "' is not installed (no started plugin provides it)");
            }
        }

        synchronized void reconfigure(Map<String, String> newValues, String newSource) {
            close("reconfiguring");
            values = Map.copyOf(newValues);
            source = newSource;
            config = null;
            lastCheck = null;
            consecutiveFailures = 0;
            if (desired == InstanceState.STOPPED) {
                error = "stopped by an operator";
            } else {
                openIfAvailable();
            }
        }

        synchronized void open(CatalogEntry entry) {
            if (isOpen()) {
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
            if (SOURCE_API.equals(source) && store.sealSecrets(connectorId, instanceId, schema.secretKeys())) {
                log.info("Connector instance {}/{}: secrets stored in plain text are sealed now", connectorId, instanceId);
            }
            if (!problems.isEmpty()) {
                fail("invalid configuration: " + String.join("; ", problems), false);
                return;
            }
            // Tokens cached under another configuration (another address, other credentials) are never handed out.
            String binding = JdbcTokenCache.binding(sealer, values);
            JdbcTokenCache.forgetAllBut(jdbc, connectorId, instanceId, binding);
            InstanceContext context = new InstanceContext(connectorId, instanceId, config,
                    new ResilientChannelHttpClient(connectorId, instanceId, httpClient, registries, resilience),
                    new JdbcTokenCache(jdbc, transactions, clock, connectorId, instanceId, binding, sealer),
                    clock,
                    new MaskingSystemLogger(connectorId, instanceId, secretValues()));
            try {
                ConnectorInstance connector = withClassLoaderOf(entry, () -> entry.connector().open(context));
                if (connector == null) {
                    fail("the connector's open() returned no instance", true);
                    return;
                }
                opened = new GatedInstance(connectorId, instanceId, connector);
            } catch (ConfigException e) {
                fail(e.getMessage(), false);
                return;
            } catch (RuntimeException | LinkageError e) {
                fail("could not open: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), true);
                log.debug("{}/{} could not open", connectorId, instanceId, e);
                return;
            }
            openedFrom = entry;
            warnings = warningsOf(opened, entry);
            enter(desired == InstanceState.PAUSED ? InstanceState.PAUSED : InstanceState.RUNNING, null);
            consecutiveFailures = 0;
            log.info("Connector instance {}/{} {}", connectorId, instanceId, state);
            background.execute(this::check);
        }

        /**
         * Stops handing the instance out and refuses new calls into it at once; the connector's
         * instance is closed once the calls in progress have ended, on the closer's thread.
         *
         * @return done when the connector's instance is closed
         */
        synchronized CompletableFuture<Void> close(String reason) {
            cancelRestart();
            CompletableFuture<Void> closed = CompletableFuture.completedFuture(null);
            if (opened != null) {
                GatedInstance closing = opened;
                CatalogEntry entry = openedFrom;
                List<String> secrets = secretValues();
                opened = null;
                openedFrom = null;
                warnings = List.of();
                publish();
                closing.refuseCalls();
                closed = CompletableFuture.runAsync(() -> {
                    try {
                        withClassLoaderOf(entry, () -> {
                            closing.close();
                            return null;
                        });
                    } catch (RuntimeException | LinkageError e) {
                        log.warn("{}/{} did not close cleanly: {}", connectorId, instanceId,
                                PersonalDataMasker.mask(String.valueOf(e.getMessage()), secrets));
                    }
                }, closer);
                log.info("Connector instance {}/{} STOPPED: {}", connectorId, instanceId, reason);
            }
            enter(InstanceState.STOPPED, reason);
            return closed;
        }

        /** The channel refused the configuration for good: close, and stay FAILED until an operator acts. */
        synchronized void refused(String reason) {
            if (state != InstanceState.RUNNING && state != InstanceState.PAUSED) {
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
            List<String> current = warningsOf(target, entry);
            synchronized (this) {
                if (opened == target) {
                    lastCheck = status;
                    warnings = current;
                }
            }
            if (result.ok()) {
                log.info("Connector instance {}/{} check passed: {}", connectorId, instanceId, status.message());
            } else {
                log.warn("Connector instance {}/{} check failed: {}", connectorId, instanceId, status.message());
            }
        }

        /** The instance's warnings, masked; a connector that fails to say has none. */
        private List<String> warningsOf(ConnectorInstance instance, CatalogEntry entry) {
            try {
                List<String> said = withClassLoaderOf(entry, instance::warnings);
                return said == null ? List.of() : said.stream().filter(java.util.Objects::nonNull).map(this::mask).toList();
            } catch (RuntimeException | LinkageError e) {
                log.debug("{}/{} warnings() failed", connectorId, instanceId, e);
                return List.of();
            }
        }

        private void fail(String message, boolean retry) {
            opened = null;
            openedFrom = null;
            warnings = List.of();
            enter(InstanceState.FAILED, mask(message));
            if (!retry) {
                log.warn("Connector instance {}/{} FAILED: {}", connectorId, instanceId, error);
                return;
            }
            consecutiveFailures++;
            Duration delay = restartDelay(consecutiveFailures, firstRestartDelay, maxRestartDelay);
            log.warn("Connector instance {}/{} FAILED: {}; restarting in {} ms", connectorId, instanceId, error, delay.toMillis());
            nextRestartAt = clock.instant().plus(delay);
            restart = background.schedule(this::restartAutomatically, delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void restartAutomatically() {
            synchronized (this) {
                restart = null;
                nextRestartAt = null;
                if (state != InstanceState.FAILED || desired == InstanceState.STOPPED) {
                    return;
                }
                catalog.find(connectorId).ifPresent(this::open);
            }
        }

        private void cancelRestart() {
            if (restart != null) {
                restart.cancel(false);
                restart = null;
            }
            nextRestartAt = null;
        }

        synchronized InstanceStatus status() {
            CircuitBreaker breaker = registries.circuitBreakers().find(key(connectorId, instanceId)).orElse(null);
            return new InstanceStatus(connectorId, instanceId, state, error, since, lastCheck, maskedConfig(),
                    breaker == null ? null : breaker.getState().toString(), source, consecutiveFailures, nextRestartAt, warnings);
        }

        private Map<String, String> maskedConfig() {
            if (config != null) {
                return new TreeMap<>(config.masked());
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

    /**
     * An instance as the pipeline is handed it: open (RUNNING or PAUSED) or {@link #NONE}.
     *
     * @param running whether it is RUNNING rather than PAUSED
     */
    private record Handed(ConnectorInstance instance, boolean running) {
        static final Handed NONE = new Handed(null, false);
    }

    /** The delay before automatic restart number {@code consecutiveFailures}: doubling from {@code first}, at most {@code max}. */
    public static Duration restartDelay(int consecutiveFailures, Duration first, Duration max) {
        long factor = 1L << Math.min(Math.max(consecutiveFailures, 1) - 1, 20);
        Duration delay = first.multipliedBy(factor);
        return delay.compareTo(max) > 0 ? max : delay;
    }

    private static Duration positive(Duration configured, Duration fallback) {
        return configured == null || configured.isNegative() || configured.isZero() ? fallback : configured;
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
