package io.omnihub.testkit.hostile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A folder of hostile inputs kept next to a connector's tests, with the outcome each must have.
 *
 * <p>The folder holds the inputs as files, byte for byte what would arrive, and a table
 * {@value #OUTCOMES}: one line per case, tab-separated, {@code #} starting a comment:
 *
 * <pre>
 * # file                 delivery   outcome    message part (optional)
 * xxe-external.xml       mp         rejected   DTD
 * forged-signature.xml   mp-forged  refused   signature
 * </pre>
 *
 * The delivery column is the corpus' own vocabulary, read by the connector's test (how to sign,
 * which endpoint serves the file); the outcome is an {@link Outcome} label; the message part, when
 * given, must appear in the error's message, so that the message stays clear. A file may appear on
 * several lines, delivered differently. Every file of the folder must be listed, so none is
 * silently left out.
 *
 * <pre>{@code
 * static List<HostileInput> corpus() { return HostileCorpus.load(MyTest.class, "/wechat/hostile"); }
 *
 * @ParameterizedTest @MethodSource("corpus")
 * void hostileInputHasItsOutcome(HostileInput input) {
 *     HostileChecks.expect(input, () -> Observation.ofWebhook(handler, request(input), normalizer), secrets);
 * }
 * }</pre>
 */
public final class HostileCorpus {

    /** The name of the outcome table in a corpus folder. */
    public static final String OUTCOMES = "outcomes.tsv";

    private HostileCorpus() {
    }

    /**
     * The inputs of the corpus in {@code folder}, a class-path folder (absolute, or relative to
     * {@code anchor}'s package), in table order.
     *
     * @throws IllegalStateException when the table is missing or malformed, names a missing file, or
     *     a file of the folder is not in the table
     */
    public static List<HostileInput> load(Class<?> anchor, String folder) {
        String base = folder.endsWith("/") ? folder : folder + "/";
        List<HostileInput> inputs = new ArrayList<>();
        Set<String> listed = new TreeSet<>();
        String table = new String(read(anchor, base + OUTCOMES), StandardCharsets.UTF_8);
        int number = 0;
        for (String line : table.split("\n", -1)) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t+");
            if (columns.length < 3 || columns.length > 4) {
                throw new IllegalStateException(base + OUTCOMES + " line " + number
                        + ": expected file, delivery, outcome and an optional message part, tab-separated");
            }
            String file = columns[0].strip();
            Outcome outcome;
            try {
                outcome = Outcome.of(columns[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(base + OUTCOMES + " line " + number + ": " + e.getMessage());
            }
            Optional<String> message = columns.length == 4 && !columns[3].isBlank() && !"-".equals(columns[3].strip())
                    ? Optional.of(columns[3].strip()) : Optional.empty();
            inputs.add(new HostileInput(base, file, read(anchor, base + file), columns[1].strip(), outcome, message));
            listed.add(file);
        }
        if (inputs.isEmpty()) {
            throw new IllegalStateException(base + OUTCOMES + " lists no input");
        }
        List<String> unlisted = filesOf(anchor, base).stream().filter(f -> !listed.contains(f) && !OUTCOMES.equals(f)).toList();
        if (!unlisted.isEmpty()) {
            throw new IllegalStateException(base + " holds files its " + OUTCOMES + " does not list: " + unlisted
                    + " (list them, or, if they were deleted from the sources, rebuild with clean)");
        }
        return List.copyOf(inputs);
    }

    /** The files in the folder, when it is a folder on disk (as under {@code target/test-classes}). */
    private static List<String> filesOf(Class<?> anchor, String base) {
        URL url = anchor.getResource(base);
        if (url == null || !"file".equals(url.getProtocol())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource '" + name + "' next to " + anchor.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
