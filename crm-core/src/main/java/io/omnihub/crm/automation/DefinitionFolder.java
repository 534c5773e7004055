package io.omnihub.crm.automation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The definitions in force: every {@code *.yaml} / {@code *.yml} file under a folder (read at start
 * and again whenever one is added, changed or removed) plus the definitions written over the API
 * ({@link DefinitionStore}). A file that does not parse, or clashes with another, is refused with
 * its file, line and problem; when it had loaded before, its previous version stays in force, so a
 * bad edit never takes a running journey away. Thread-safe.
 */
public final class DefinitionFolder {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionFolder.class);

    private final Path dir;
    private final DefinitionStore store;
    private final Automation automation;

    private Map<String, Stamp> stamps = Map.of();
    private String storeFingerprint = "";
    private final Map<String, DefinitionFile> lastGood = new LinkedHashMap<>();
    private Map<String, DefinitionFile> inForce = new LinkedHashMap<>();
    private List<SourceStatus> status = List.of();
    private boolean loaded;

    /**
     * @param dir        the folder; it need not exist
     * @param store      the API-written definitions, or null for files only
     * @param automation where the loaded definitions are put in force
     */
    public DefinitionFolder(Path dir, DefinitionStore store, Automation automation) {
        this.dir = dir.toAbsolutePath().normalize();
        this.store = store;
        this.automation = Objects.requireNonNull(automation, "automation");
    }

    /**
     * How one file or API definition fared.
     *
     * @param source   the file relative to the folder, or {@code api:<kind>/<id>}
     * @param loaded   whether (a version of) it is in force
     * @param error    why it was refused ({@code file:line: problem}), or null
     * @param rules    rules it defines (in force)
     * @param segments segments it defines (in force)
     * @param journeys journeys it defines (in force)
     */
    public record SourceStatus(String source, boolean loaded, String error, int rules, int segments, int journeys) {
    }

    private record Stamp(long size, long modified) {
    }

    public Path dir() {
        return dir;
    }

    /** Reloads when a file or the API definitions changed since the last look; true when it did. */
    public synchronized boolean refresh() {
        Map<String, Stamp> now = scan();
        String fingerprint = store == null ? "" : store.fingerprint();
        if (loaded && now.equals(stamps) && fingerprint.equals(storeFingerprint)) {
            return false;
        }
        load(now, fingerprint);
        return true;
    }

    /** Reads everything again now. */
    public synchronized void reload() {
        load(scan(), store == null ? "" : store.fingerprint());
    }

    /** Every file and API definition with how it fared, files first. */
    public synchronized List<SourceStatus> status() {
        return status;
    }

    /** The file that defines {@code id} of {@code kind}, if a file (not the API) does. */
    public synchronized Optional<String> fileDefining(DefinitionParser.Kind kind, String id) {
        for (DefinitionFile f : inForce.values()) {
            if (!f.source().startsWith("api:") && defines(f, kind, id)) {
                return Optional.of(f.source());
            }
        }
        return Optional.empty();
    }

    /**
     * Checks a definition about to be written over the API against everything else in force
     * (replacing an earlier API version of it), without writing anything.
     *
     * @throws DefinitionException    naming the line and problem when it is not valid
     * @throws IllegalStateException  when a file defines the same id (edit the file instead)
     */
    public synchronized DefinitionFile check(DefinitionParser.Kind kind, String id, String yaml) {
        fileDefining(kind, id).ifPresent(file -> {
            throw new IllegalStateException(kind.singular() + " '" + id + "' is defined in file " + file
                    + "; change it there, the API only edits definitions written over the API");
        });
        DefinitionFile candidate = DefinitionParser.parseOne(kind, id, yaml);
        Map<String, DefinitionFile> next = new LinkedHashMap<>(inForce);
        next.put(candidate.source(), candidate);
        buildStrict(next.values());
        return candidate;
    }

    /**
     * Checks that removing an API definition leaves the rest valid.
     *
     * @throws DefinitionException when something depends on it (a journey on a segment)
     */
    public synchronized void checkRemoval(DefinitionParser.Kind kind, String id) {
        Map<String, DefinitionFile> next = new LinkedHashMap<>(inForce);
        next.remove("api:" + kind.plural() + "/" + id);
        buildStrict(next.values());
    }

    private static Definitions buildStrict(Iterable<DefinitionFile> files) {
        Definitions.Builder builder = new Definitions.Builder();
        files.forEach(builder::add);
        return builder.build();
    }

    private static boolean defines(DefinitionFile f, DefinitionParser.Kind kind, String id) {
        return switch (kind) {
            case RULE -> f.rules().stream().anyMatch(r -> r.id().equals(id));
            case SEGMENT -> f.segments().stream().anyMatch(s -> s.id().equals(id));
            case JOURNEY -> f.journeys().stream().anyMatch(j -> j.id().equals(id));
        };
    }

    private Map<String, Stamp> scan() {
        Map<String, Stamp> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !hidden(p);
                    })
                    .forEach(p -> {
                        try {
                            out.put(relative(p), new Stamp(Files.size(p), Files.getLastModifiedTime(p).toMillis()));
                        } catch (IOException e) {
                            out.put(relative(p), new Stamp(-1, -1));
                        }
                    });
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("cannot list automation definitions in {}: {}", dir, e.getMessage());
        }
        return out;
    }

    private boolean hidden(Path p) {
        for (Path part : dir.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private String relative(Path p) {
        return dir.relativize(p).toString().replace('\\', '/');
    }

    private void load(Map<String, Stamp> files, String fingerprint) {
        Map<String, DefinitionFile> candidates = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (String source : files.keySet()) {
            order.add(source);
            try {
                String yaml = Files.readString(dir.resolve(source), StandardCharsets.UTF_8);
                candidates.put(source, DefinitionParser.parseFile(source, yaml));
            } catch (DefinitionException e) {
                errors.put(source, e.getMessage());
            } catch (IOException | RuntimeException e) {
                errors.put(source, source + ": cannot be read: " + e.getMessage());
            }
        }
        if (store != null) {
            for (DefinitionStore.Stored s : store.all()) {
                String source = "api:" + s.kind().plural() + "/" + s.id();
                order.add(source);
                try {
                    candidates.put(source, DefinitionParser.parseOne(s.kind(), s.id(), s.source()));
                } catch (DefinitionException e) {
                    errors.put(source, e.getMessage());
                }
            }
        }
        // a refused file keeps its previous version in force, when it had one; what was in force
        // before goes first, so a new file clashing with it is the one refused
        Map<String, DefinitionFile> chosen = new LinkedHashMap<>();
        List<String> preference = new ArrayList<>(inForce.keySet());
        preference.retainAll(order);
        order.stream().filter(source -> !preference.contains(source)).forEach(preference::add);
        for (String source : preference) {
            DefinitionFile f = candidates.get(source);
            if (f == null && lastGood.containsKey(source)) {
                f = lastGood.get(source);
            }
            if (f != null) {
                chosen.put(source, f);
            }
        }
        Definitions definitions = null;
        while (definitions == null) {
            Definitions.Builder builder = new Definitions.Builder();
            Map<String, DefinitionFile> added = new LinkedHashMap<>();
            for (DefinitionFile f : chosen.values()) {
                try {
                    builder.add(f);
                    added.put(f.source(), f);
                } catch (DefinitionException e) {
                    errors.merge(f.source(), e.getMessage(), (a, b) -> a + "; " + b);
                }
            }
            try {
                definitions = builder.build();
                chosen = added;
            } catch (DefinitionException e) {
                String culprit = e.location().source();
                errors.merge(culprit, e.getMessage(), (a, b) -> a + "; " + b);
                added.remove(culprit);
                chosen = added;
            }
        }
        lastGood.keySet().retainAll(order);
        candidates.forEach((source, f) -> {
            if (!errors.containsKey(source)) {
                lastGood.put(source, f);
            }
        });
        List<SourceStatus> next = new ArrayList<>();
        for (String source : order) {
            DefinitionFile f = chosen.get(source);
            String error = errors.get(source);
            if (error != null && f != null) {
                error = error + " (the previous version stays in force)";
            }
            next.add(new SourceStatus(source, f != null, error, f == null ? 0 : f.rules().size(),
                    f == null ? 0 : f.segments().size(), f == null ? 0 : f.journeys().size()));
            if (error != null) {
                LOG.warn("automation definition refused: {}", error);
            }
        }
        automation.use(definitions);
        inForce = chosen;
        stamps = files;
        storeFingerprint = fingerprint;
        status = List.copyOf(next);
        loaded = true;
        LOG.info("automation definitions in force: {} rules, {} segments, {} journeys from {} ({} refused)",
                definitions.rules().size(), definitions.segments().size(), definitions.journeys().size(), dir, errors.size());
    }
}
