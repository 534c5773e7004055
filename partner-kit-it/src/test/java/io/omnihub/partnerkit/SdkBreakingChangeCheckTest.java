package io.omnihub.partnerkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SDK's breaking-change check at work: connector-api's own build (its pom, the 1.0.0 baseline
 * JAR, its sources) run by a Maven invocation of its own on a copy, once as it is and once with a
 * public method removed. Only the second must fail, and say what broke.
 */
class SdkBreakingChangeCheckTest {

    private static final Path WORK = Path.of("target", "sdk-check").toAbsolutePath();
    private static final Path SDK = MavenRun.ROOT.resolve("connector-api");

    @Test
    void removingAPublicMethodFromTheSdkFailsTheBuild() throws IOException {
        PartnerPluginFromArchetypeTest.recreate(WORK);
        Path unchanged = copyOfSdk(WORK.resolve("unchanged"));
        Path broken = copyOfSdk(WORK.resolve("method-removed"));
        Path checkResult = broken.resolve("src/main/java/io/omnihub/connector/CheckResult.java");
        String source = Files.readString(checkResult);
        String removed = source.replaceFirst(
                "(?s)\\n    public static CheckResult failed\\(String message\\) \\{.*?\\n    }\\n", "\n");
        assertThat(removed).as("the test removes CheckResult.failed(String)").isNotEqualTo(source);
        Files.writeString(checkResult, removed);

        MavenRun asItIs = MavenRun.in(unchanged, WORK.resolve("unchanged.log"), 5, "-o", "verify", "-DskipTests");
        MavenRun withRemoval = MavenRun.in(broken, WORK.resolve("method-removed.log"), 5, "-o", "verify", "-DskipTests");

        assertThat(asItIs.exitCode()).as("the SDK as it is passes its check:\n%s", asItIs.tail()).isZero();
        assertThat(asItIs.output()).contains("japicmp");
        assertThat(withRemoval.exitCode()).as("removing a method must fail the build").isNotZero();
        assertThat(withRemoval.output())
                .contains("japicmp-maven-plugin")
                .contains("io.omnihub.connector.CheckResult.failed(java.lang.String):METHOD_REMOVED");
    }

    /** connector-api's pom, baseline and main sources, as a project of their own. */
    private static Path copyOfSdk(Path target) {
        Path project = target.resolve("connector-api");
        copy(SDK.resolve("pom.xml"), project.resolve("pom.xml"));
        copyTree(SDK.resolve("api-baseline"), project.resolve("api-baseline"));
        copyTree(SDK.resolve("src/main"), project.resolve("src/main"));
        return project;
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.filter(Files::isRegularFile).forEach(file -> copy(file, to.resolve(from.relativize(file).toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
