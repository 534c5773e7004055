package io.omnihub.partnerkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A partner's mistake caught by the partner's own build: the generated connector with its
 * signature check taken out no longer builds, and the failure names the acceptance rule it broke.
 */
class BrokenGeneratedConnectorTest {

    private static final Path WORK = Path.of("target", "broken-connector").toAbsolutePath();

    @Test
    void connectorThatSkipsTheSignatureCheckFailsItsBuildNamingTheRule() throws Exception {
        PartnerPluginFromArchetypeTest.recreate(WORK);
        Path project = GeneratedConnector.generate(WORK);
        Path handler = project.resolve("src/main/java/com/example/acme/AcmeWebhookHandler.java");
        String source = Files.readString(handler);
        String broken = source.replace("if (!signer.verify(timestamp, request.body(), signature)) {", "if (false) {");
        assertThat(broken).as("the test takes the signature check out").isNotEqualTo(source);
        Files.writeString(handler, broken);

        MavenRun build = MavenRun.in(project, WORK.resolve("build.log"), 10, "test");

        assertThat(build.exitCode()).as("the broken connector's build must fail").isNotZero();
        assertThat(build.output())
                .contains("Tests run: 17, Failures: 2, Errors: 0, Skipped: 0")
                .contains("[webhook-forged-refused] 2 problems:")
                .contains("sample #1 (POST, ")
                .contains("with a corrupted signature was accepted: reply 200 and 1 record(s); it must throw BadSignatureException")
                // Without the check a forgery's malformed body reaches the JSON parser, and would be kept.
                .contains("[webhook-unauthenticated-garbage-refused]")
                .contains("forged, with an empty body threw BadInputException");
    }
}
