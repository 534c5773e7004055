package io.omnihub.partnerkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Maven invocation of its own, as a partner would type it: the repository's Maven wrapper in a
 * separate process, batch mode, sharing this build's local repository so it finds the SDK, the
 * testkit and the archetype this build installed.
 *
 * @param exitCode the process's exit code
 * @param log      where its output went
 */
record MavenRun(int exitCode, Path log) {

    static final Path ROOT = Path.of(System.getProperty("omnihub.root", "..")).toAbsolutePath().normalize();

    /** Runs the repository's {@code ./mvnw -B -ntp <args>} in {@code dir}, output to {@code log}; fails after {@code minutes}. */
    static MavenRun in(Path dir, Path log, long minutes, String... args) {
        return run(ROOT.resolve("mvnw"), dir, log, minutes, args);
    }

    /** Runs the project's own {@code ./mvnw -B -ntp <args>} in {@code project}, as its README tells a partner to. */
    static MavenRun withWrapperOf(Path project, Path log, long minutes, String... args) {
        return run(project.resolve("mvnw"), project, log, minutes, args);
    }

    private static MavenRun run(Path wrapper, Path dir, Path log, long minutes, String... args) {
        List<String> command = new ArrayList<>();
        command.add(wrapper.toString());
        command.add("-B");
        command.add("-ntp");
        String repo = System.getProperty("omnihub.maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            command.add("-Dmaven.repo.local=" + repo);
        }
        command.addAll(List.of(args));
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("mvn " + String.join(" ", args) + " did not finish within " + minutes
                        + " minutes; see " + log);
            }
            return new MavenRun(process.exitValue(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of the output, for failure messages. */
    String tail() {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
