package io.omnihub.hub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's data folder under the system's temporary folder, deleted when the JVM exits. A hub's
 * data folder holds a broker journal and a database of a gigabyte or more after a run; left behind,
 * a few dozen runs fill the disk, and a broker refuses writes from 90 % full (Artemis's default,
 * which the hand-written peer keeps).
 */
final class ScratchFolder {

    private ScratchFolder() {
    }

    static Path create(String prefix) throws IOException {
        Path folder = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(folder), "delete " + folder.getFileName()));
        return folder;
    }

    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            System.err.println("could not delete " + folder + ": " + e.getMessage());
        }
    }
}
