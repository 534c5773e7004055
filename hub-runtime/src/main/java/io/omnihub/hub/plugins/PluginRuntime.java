package io.omnihub.hub.plugins;

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.SdkVersion;
import io.omnihub.hub.HubProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Loads connector plugins from {@code hub.plugins.dir} with PF4J and keeps the
 * {@link ConnectorCatalog} in step with the folder while the hub runs.
 *
 * <ul>
 *   <li>At start every JAR in the folder is loaded and started.</li>
 *   <li>Every {@code hub.plugins.scan-interval} the folder is checked: a new JAR is loaded once its
 *       size and modification time are the same in two checks in a row (so a JAR still being copied
 *       is not read half-written); a removed JAR's connector instances are closed, then the plugin is
 *       stopped and unloaded; a replaced JAR is unloaded and then loaded again.</li>
 *   <li>A JAR whose {@code Plugin-Requires} excludes {@link SdkVersion#CURRENT} is loaded but not
 *       started and is listed as {@code DISABLED} with the reason.</li>
 * </ul>
 *
 * <p>All changes happen on one thread at a time (the scanner, or start and stop), as PF4J is not
 * thread-safe. Starts before the web server, so webhooks find their connectors from the first request.
 */
public class PluginRuntime implements SmartLifecycle {

    /** The state of a JAR the SHA-256 allowlist keeps out. */
    static final String REFUSED = "REFUSED";

    private static final Logger log = LoggerFactory.getLogger(PluginRuntime.class);

    private final Path dir;
    private final Duration scanInterval;
    private final ConnectorCatalog catalog;
    private final HubPluginManager manager;

    /** Loaded JARs by path (started or not). */
    private final Map<Path, LoadedFile> loaded = new LinkedHashMap<>();
    /** JARs that could not be loaded, until they change. */
    private final Map<Path, FailedFile> failed = new LinkedHashMap<>();
    /** New JARs seen once, waiting to be seen unchanged. */
    private final Map<Path, FileStamp> pending = new LinkedHashMap<>();

    private ScheduledExecutorService scanner;
    private volatile boolean running;
    /** Lower-case hex digests allowed to load; empty allows every JAR. */
    private final java.util.Set<String> allowedSha256;
    /** Why a plugin is loaded but not started (an operator stopped or disabled it on some node), if it is. */
    private volatile java.util.function.Function<String, Optional<String>> held = pluginId -> Optional.empty();

    public PluginRuntime(HubProperties properties, ConnectorCatalog catalog) {
        this.dir = properties.getPlugins().getDir().toAbsolutePath().normalize();
        this.scanInterval = properties.getPlugins().getScanInterval();
        this.catalog = catalog;
        this.manager = new HubPluginManager(dir);
        this.allowedSha256 = properties.getPlugins().getAllowedSha256().stream()
                .map(digest -> digest.trim().toLowerCase(java.util.Locale.ROOT))
                .filter(digest -> !digest.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The folder watched. */
    public Path dir() {
        return dir;
    }

    /**
     * Says which plugins are loaded but not started, and why: those an operator stopped or disabled
     * for the whole cluster. Asked whenever a JAR is loaded.
     */
    public void holdWhen(java.util.function.Function<String, Optional<String>> reason) {
        this.held = reason;
    }

    /**
     * Makes the folder hold {@code jar} as plugin {@code pluginId}, as uploaded on another hub node:
     * nothing when that JAR is in place already; a loaded plugin with another SHA-256 is reloaded
     * with it (checked as for {@link #reload}); otherwise the JAR is written over the file holding
     * this plugin id, or as a new file, and loaded when the runtime runs (at its start otherwise).
     *
     * @throws PluginRefusedException when the JAR is refused here (allowlist, SDK); nothing changes then
     */
    public synchronized void materialize(String pluginId, byte[] jar) {
        String digest = sha256(jar);
        Optional<Map.Entry<Path, LoadedFile>> current = loadedById(pluginId);
        if (current.isPresent()) {
            if (!current.get().getValue().sha256().equals(digest)) {
                reload(pluginId, jar);
            }
            return;
        }
        JarManifest manifest = acceptable(jar, pluginId);
        Path holding = null;
        for (Path path : listJars().keySet()) {
            if (JarManifest.read(path).map(JarManifest::pluginId).filter(pluginId::equals).isPresent()) {
                holding = path;
                break;
            }
        }
        Path target = holding;
        try {
            if (holding == null || !sha256(holding).equals(digest)) {
                target = write(jar, manifest, holding);
            }
        } catch (IOException e) {
            target = write(jar, manifest, holding);
        }
        if (running) {
            failed.remove(target);
            pending.remove(target);
            load(target);
        }
    }

    @Override
    public void start() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create plugins folder " + dir, e);
        }
        synchronized (this) {
            listJars().forEach(this::load);
        }
        scanner = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "plugin-scanner");
            thread.setDaemon(true);
            return thread;
        });
        long interval = Math.max(100, scanInterval.toMillis());
        scanner.scheduleWithFixedDelay(this::scanSafely, interval, interval, TimeUnit.MILLISECONDS);
        running = true;
        log.info("Watching {} for plugins every {} ms", dir, interval);
    }

    @Override
    public void stop() {
        running = false;
        if (scanner != null) {
            scanner.shutdownNow();
            try {
                scanner.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            List<Path> paths = new ArrayList<>(loaded.keySet());
            java.util.Collections.reverse(paths);
            paths.forEach(path -> unload(path, "hub stopping"));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Early: plugins are ready before the web server and Camel routes start, and stop after them. */
    @Override
    public int getPhase() {
        return 0;
    }

    /** Checks the folder now instead of waiting for the next scan (the scanner calls it too). */
    public synchronized void scan() {
        Map<Path, FileStamp> present = listJars();
        for (Map.Entry<Path, LoadedFile> entry : new ArrayList<>(loaded.entrySet())) {
            FileStamp now = present.get(entry.getKey());
            if (now == null) {
                unload(entry.getKey(), "its JAR was removed");
            } else if (!now.equals(entry.getValue().stamp())) {
                unload(entry.getKey(), "its JAR was replaced");
            }
        }
        failed.entrySet().removeIf(entry -> !entry.getValue().stamp().equals(present.get(entry.getKey())));
        pending.keySet().retainAll(present.keySet());
        present.forEach((path, stamp) -> {
            if (loaded.containsKey(path) || failed.containsKey(path)) {
                return;
            }
            FileStamp seenBefore = pending.put(path, stamp);
            if (stamp.equals(seenBefore)) {
                pending.remove(path);
                load(path, stamp);
            }
        });
    }

    private void scanSafely() {
        try {
            scan();
        } catch (RuntimeException e) {
            log.error("Plugin folder scan failed", e);
        }
    }

    /** Every plugin JAR in the folder as operators see it, by file name. */
    public synchronized List<PluginStatus> plugins() {
        List<PluginStatus> result = new ArrayList<>();
        loaded.forEach((path, file) -> result.add(status(path, file)));
        failed.forEach((path, file) -> result.add(new PluginStatus(file.pluginId() == null ? fileNameWithoutJar(path) : file.pluginId(),
                file.version(), file.state(), file.requires(), List.of(), path.getFileName().toString(), file.sha256(), file.reason(), null, null)));
        result.sort(Comparator.comparing(PluginStatus::file));
        return result;
    }

    /** One plugin by id. */
    public Optional<PluginStatus> plugin(String pluginId) {
        return plugins().stream().filter(plugin -> plugin.id().equals(pluginId)).findFirst();
    }

    /**
     * Stops a started plugin until it is started again or the hub restarts: its connector instances
     * are closed first, then the plugin is stopped; its JAR stays loaded.
     *
     * @return the plugin's status, empty when no plugin has this id
     */
    public synchronized Optional<PluginStatus> stop(String pluginId) {
        Optional<Map.Entry<Path, LoadedFile>> found = loadedById(pluginId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        LoadedFile file = found.get().getValue();
        PluginWrapper wrapper = manager.getPlugin(pluginId);
        if (wrapper != null && wrapper.getPluginState() == PluginState.STARTED) {
            catalog.removePlugin(pluginId);
            manager.stopPlugin(pluginId);
            file.reason = "stopped by an operator";
            log.info("Plugin '{}' stopped by an operator", pluginId);
        }
        return Optional.of(status(found.get().getKey(), file));
    }

    /**
     * Starts a loaded plugin that is not running, and opens its connectors' configured instances.
     *
     * @return the plugin's status, empty when no plugin has this id
     * @throws IllegalStateException when it cannot be started here (it requires another SDK)
     */
    public synchronized Optional<PluginStatus> start(String pluginId) {
        Optional<Map.Entry<Path, LoadedFile>> found = loadedById(pluginId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        LoadedFile file = found.get().getValue();
        PluginWrapper wrapper = manager.getPlugin(pluginId);
        if (wrapper.getPluginState() != PluginState.STARTED) {
            String requires = wrapper.getDescriptor().getRequires();
            if (!manager.sdkSatisfies(requires)) {
                throw new IllegalStateException("plugin '" + pluginId + "' requires SDK " + requires
                        + " but this hub provides SDK " + SdkVersion.CURRENT);
            }
            PluginState state = withPluginClassLoader(wrapper, () -> manager.startPlugin(pluginId));
            if (state != PluginState.STARTED) {
                Throwable failure = wrapper.getFailedException();
                file.reason = "failed to start" + (failure == null ? "" : ": " + describe(failure));
                throw new IllegalStateException("plugin '" + pluginId + "' " + file.reason);
            }
            file.reason = null;
            log.info("Plugin '{}' started by an operator", pluginId);
            registerConnectors(wrapper, file);
        }
        return Optional.of(status(found.get().getKey(), file));
    }

    /**
     * Disables a plugin: its connector instances are closed, it is stopped, and it stays disabled
     * across restarts of the hub (PF4J's {@code disabled.txt} in the plugins folder) until started again.
     *
     * @return the plugin's status, empty when no plugin has this id
     */
    public synchronized Optional<PluginStatus> disable(String pluginId) {
        Optional<Map.Entry<Path, LoadedFile>> found = loadedById(pluginId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        LoadedFile file = found.get().getValue();
        catalog.removePlugin(pluginId);
        manager.disablePlugin(pluginId);
        file.reason = "disabled by an operator";
        log.info("Plugin '{}' disabled by an operator", pluginId);
        return Optional.of(status(found.get().getKey(), file));
    }

    /**
     * Installs an uploaded plugin JAR: checked (a PF4J plugin, allowed by the SHA-256 allowlist, made
     * for this SDK, not yet installed), written to the plugins folder and started at once.
     *
     * @throws PluginRefusedException when the JAR is refused; nothing is written then
     */
    public synchronized PluginStatus install(byte[] jar) {
        JarManifest manifest = acceptable(jar, null);
        Optional<Map.Entry<Path, LoadedFile>> existing = loadedById(manifest.pluginId());
        if (existing.isPresent()) {
            PluginStatus current = status(existing.get().getKey(), existing.get().getValue());
            throw new PluginRefusedException(PluginRefusedException.Kind.CONFLICT, "plugin '" + manifest.pluginId() + "' "
                    + current.version() + " is already installed from " + current.file() + "; reload it with the new version instead");
        }
        Path target = write(jar, manifest, null);
        FileStamp.of(target).ifPresent(stamp -> load(target, stamp));
        return statusOfFile(target);
    }

    /**
     * Reloads a plugin: its instances are closed, it is stopped and unloaded, then loaded and started
     * again, from {@code newJar} when given (a new version; checked as for {@link #install} before the
     * running version is touched) or else from its JAR in the folder.
     *
     * @return the plugin's status after the reload, empty when no plugin has this id
     * @throws PluginRefusedException when the new JAR is refused; the running version is kept then
     */
    public synchronized Optional<PluginStatus> reload(String pluginId, byte[] newJar) {
        Optional<Map.Entry<Path, LoadedFile>> found = loadedById(pluginId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Path oldPath = found.get().getKey();
        JarManifest manifest = newJar == null ? null : acceptable(newJar, pluginId);
        unload(oldPath, newJar == null ? "reloading" : "replaced by version " + manifest.version());
        Path loading = newJar == null ? oldPath : write(newJar, manifest, oldPath);
        FileStamp.of(loading).ifPresent(stamp -> load(loading, stamp));
        return Optional.of(statusOfFile(loading));
    }

    private PluginStatus statusOfFile(Path path) {
        LoadedFile file = loaded.get(path);
        if (file != null) {
            return status(path, file);
        }
        return plugins().stream().filter(plugin -> plugin.file().equals(path.getFileName().toString())).findFirst()
                .orElseThrow(() -> new IllegalStateException("plugin file " + path.getFileName() + " vanished while loading"));
    }

    /** The manifest of an uploaded JAR that may be installed, as {@code expectedId} when given. */
    private JarManifest acceptable(byte[] jar, String expectedId) {
        JarManifest manifest = JarManifest.read(jar).orElseThrow(() -> new PluginRefusedException(
                PluginRefusedException.Kind.INVALID, "not a plugin JAR: it has no manifest with a Plugin-Id"));
        if (expectedId != null && !expectedId.equals(manifest.pluginId())) {
            throw new PluginRefusedException(PluginRefusedException.Kind.INVALID,
                    "the JAR is plugin '" + manifest.pluginId() + "', not '" + expectedId + "'");
        }
        allowlistRefusal(sha256(jar)).ifPresent(reason -> {
            throw new PluginRefusedException(PluginRefusedException.Kind.INVALID, reason);
        });
        if (!manager.sdkSatisfies(manifest.requires())) {
            throw new PluginRefusedException(PluginRefusedException.Kind.INVALID, "plugin '" + manifest.pluginId()
                    + "' requires SDK " + manifest.requires() + " but this hub provides SDK " + SdkVersion.CURRENT);
        }
        return manifest;
    }

    private Optional<String> allowlistRefusal(String sha256) {
        if (allowedSha256.isEmpty() || allowedSha256.contains(sha256)) {
            return Optional.empty();
        }
        return Optional.of("SHA-256 " + sha256 + " is not in hub.plugins.allowed-sha256");
    }

    /**
     * Writes the JAR into the folder in one step, so the scanner never sees half a file: a new
     * version over the file it replaces (operators and scripts keep finding it under its name), a
     * new plugin as {@code <id>-<version>.jar}.
     */
    private Path write(byte[] jar, JarManifest manifest, Path replacing) {
        Path target = replacing;
        if (target == null) {
            String name = (manifest.pluginId() + (manifest.version() == null ? "" : "-" + manifest.version()))
                    .replaceAll("[^A-Za-z0-9._-]", "_");
            target = dir.resolve(name + ".jar");
            for (int n = 2; Files.exists(target); n++) {
                target = dir.resolve(name + "-" + n + ".jar");
            }
        }
        try {
            Path partial = Files.createTempFile(dir, ".upload-", ".part");
            Files.write(partial, jar);
            Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target.getFileName() + " to the plugins folder", e);
        }
        failed.remove(target);
        pending.remove(target);
        return target;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private Optional<Map.Entry<Path, LoadedFile>> loadedById(String pluginId) {
        return loaded.entrySet().stream().filter(entry -> entry.getValue().pluginId().equals(pluginId)).findFirst();
    }

    private PluginStatus status(Path path, LoadedFile file) {
        PluginWrapper wrapper = manager.getPlugin(file.pluginId());
        List<String> connectors = catalog.all().stream()
                .filter(entry -> entry.pluginId().equals(file.pluginId()))
                .map(CatalogEntry::connectorId)
                .sorted()
                .toList();
        String state = wrapper == null ? PluginState.UNLOADED.toString() : wrapper.getPluginState().toString();
        if (PluginState.RESOLVED.toString().equals(state)) {
            // Loaded and never started: held back by an operator's stop, as the cluster stored it.
            state = PluginState.STOPPED.toString();
        }
        return new PluginStatus(file.pluginId(),
                wrapper == null ? null : wrapper.getDescriptor().getVersion(),
                state,
                wrapper == null ? null : wrapper.getDescriptor().getRequires(),
                connectors,
                path.getFileName().toString(),
                file.sha256(),
                file.reason(),
                wrapper == null ? null : wrapper.getDescriptor().getProvider(),
                wrapper == null ? null : wrapper.getDescriptor().getPluginDescription());
    }

    private void load(Path path, FileStamp stamp) {
        String sha256;
        try {
            sha256 = sha256(path);
        } catch (IOException e) {
            // Removed or unreadable between listing and reading: the next scan sees it again.
            log.warn("Cannot read plugin {}: {}", path.getFileName(), e.getMessage());
            return;
        }
        Optional<String> refusal = allowlistRefusal(sha256);
        if (refusal.isPresent()) {
            Optional<JarManifest> manifest = JarManifest.read(path);
            failed.put(path, new FailedFile(stamp, sha256, refusal.get(), REFUSED,
                    manifest.map(JarManifest::pluginId).orElse(null), manifest.map(JarManifest::version).orElse(null),
                    manifest.map(JarManifest::requires).orElse(null)));
            log.warn("Plugin {} refused: {}", path.getFileName(), refusal.get());
            return;
        }
        String pluginId;
        try {
            pluginId = manager.loadPlugin(path);
        } catch (RuntimeException e) {
            String reason = "cannot be loaded: " + describe(e);
            failed.put(path, new FailedFile(stamp, sha256, reason));
            log.warn("Plugin {} {}", path.getFileName(), reason);
            return;
        }
        if (pluginId == null) {
            failed.put(path, new FailedFile(stamp, sha256, "cannot be loaded: PF4J found no plugin in it"));
            return;
        }
        PluginWrapper wrapper = manager.getPlugin(pluginId);
        LoadedFile file = new LoadedFile(pluginId, stamp, sha256);
        loaded.put(path, file);
        String requires = wrapper.getDescriptor().getRequires();
        Optional<String> holding = held.apply(pluginId);
        if (holding.isPresent() && wrapper.getPluginState() != PluginState.DISABLED) {
            file.reason = holding.get();
            log.info("Plugin '{}' ({}, sha256 {}) loaded, not started: {}", pluginId, path.getFileName(), sha256, file.reason);
            return;
        }
        if (wrapper.getPluginState() == PluginState.DISABLED) {
            file.reason = manager.sdkSatisfies(requires)
                    ? "disabled in " + dir.resolve("disabled.txt").getFileName()
                    : "requires SDK " + requires + " but this hub provides SDK " + SdkVersion.CURRENT;
            log.warn("Plugin '{}' ({}, sha256 {}) not started: {}", pluginId, path.getFileName(), sha256, file.reason);
            return;
        }
        PluginState state = withPluginClassLoader(wrapper, () -> manager.startPlugin(pluginId));
        if (state != PluginState.STARTED) {
            Throwable failure = wrapper.getFailedException();
            file.reason = "failed to start" + (failure == null ? "" : ": " + describe(failure));
            log.warn("Plugin '{}' ({}) {}", pluginId, path.getFileName(), file.reason);
            return;
        }
        log.info("Plugin '{}' {} started from {} (sha256 {})", pluginId, wrapper.getDescriptor().getVersion(), path.getFileName(), sha256);
        registerConnectors(wrapper, file);
    }

    private void registerConnectors(PluginWrapper wrapper, LoadedFile file) {
        String pluginId = wrapper.getPluginId();
        List<String> problems = new ArrayList<>();
        List<ChannelConnector> connectors = withPluginClassLoader(wrapper, () -> manager.getExtensions(ChannelConnector.class, pluginId));
        if (connectors.isEmpty()) {
            problems.add("contributes no ChannelConnector extension (is connector-api declared 'provided' and the"
                    + " class annotated @Extension?)");
        }
        for (ChannelConnector connector : connectors) {
            ConnectorDescriptor descriptor;
            try {
                descriptor = withPluginClassLoader(wrapper, connector::descriptor);
            } catch (RuntimeException e) {
                problems.add(connector.getClass().getName() + " has no usable descriptor: " + describe(e));
                continue;
            }
            catalog.add(new CatalogEntry(pluginId, connector, descriptor)).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            file.reason = String.join("; ", problems);
            log.warn("Plugin '{}': {}", pluginId, file.reason);
        }
    }

    private void unload(Path path, String why) {
        LoadedFile file = loaded.remove(path);
        if (file == null) {
            return;
        }
        // Instances first: nothing may call into the plugin once its class loader closes.
        catalog.removePlugin(file.pluginId());
        // A JAR refused because it clashed with this plugin's id or connector gets another chance.
        failed.clear();
        try {
            manager.unloadPlugin(file.pluginId());
            log.info("Plugin '{}' stopped and unloaded: {}", file.pluginId(), why);
        } catch (RuntimeException e) {
            log.error("Plugin '{}' did not unload cleanly ({})", file.pluginId(), why, e);
        }
    }

    private Map<Path, FileStamp> listJars() {
        Map<Path, FileStamp> jars = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return jars;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(path -> path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jar"))
                    .filter(Files::isRegularFile)
                    .forEach(path -> FileStamp.of(path).ifPresent(stamp -> jars.put(path, stamp)));
        } catch (IOException e) {
            log.warn("Cannot list plugins folder {}: {}", dir, e.getMessage());
        }
        return jars;
    }

    private void load(Path path) {
        FileStamp.of(path).ifPresent(stamp -> load(path, stamp));
    }

    // Libraries inside a plugin (XML parsers, ServiceLoader users) look at the context class loader.
    private static <T> T withPluginClassLoader(PluginWrapper wrapper, java.util.function.Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(wrapper.getPluginClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static String sha256(Path path) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(path), digest)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return message;
    }

    private static String fileNameWithoutJar(Path path) {
        String name = path.getFileName().toString();
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
    }

    /** What a JAR looked like when last seen; a change means it is (still) being written or was replaced. */
    record FileStamp(long size, java.time.Instant modified) {
        static Optional<FileStamp> of(Path path) {
            try {
                return Optional.of(new FileStamp(Files.size(path), Files.getLastModifiedTime(path).toInstant()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    private static final class LoadedFile {
        private final String pluginId;
        private final FileStamp stamp;
        private final String sha256;
        private String reason;

        LoadedFile(String pluginId, FileStamp stamp, String sha256) {
            this.pluginId = pluginId;
            this.stamp = stamp;
            this.sha256 = sha256;
        }

        String pluginId() {
            return pluginId;
        }

        FileStamp stamp() {
            return stamp;
        }

        String sha256() {
            return sha256;
        }

        String reason() {
            return reason;
        }
    }

    /** A JAR that is not loaded, and why; what its manifest says when it could be read. */
    private record FailedFile(FileStamp stamp, String sha256, String reason, String state,
                              String pluginId, String version, String requires) {
        FailedFile(FileStamp stamp, String sha256, String reason) {
            this(stamp, sha256, reason, PluginState.FAILED.toString(), null, null, null);
        }
    }
}
