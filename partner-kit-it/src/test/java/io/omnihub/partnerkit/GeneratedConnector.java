package io.omnihub.partnerkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** A connector project generated from this build's archetype, as the connector guide tells partners to. */
final class GeneratedConnector {

    static final String OMNIHUB_VERSION = System.getProperty("omnihub.version", "0.1.0-SNAPSHOT");

    private GeneratedConnector() {
    }

    /**
     * Generates the "Acme Shop" connector (id {@code acme}, package {@code com.example.acme}) in
     * {@code work}, leaving the class prefix to the archetype (from the id: {@code Acme}).
     */
    static Path generate(Path work) {
        return generate(work, "acme", "acme-connector", "com.example.acme", "-DchannelName=Acme Shop");
    }

    /** Generates a connector project {@code artifactId} for {@code connectorId}, with {@code more} -D options. */
    static Path generate(Path work, String connectorId, String artifactId, String javaPackage, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "org.apache.maven.plugins:maven-archetype-plugin:"
                        + System.getProperty("omnihub.archetype.plugin.version", "3.4.0") + ":generate",
                "-DarchetypeGroupId=io.omnihub", "-DarchetypeArtifactId=connector-archetype",
                "-DarchetypeVersion=" + OMNIHUB_VERSION, "-DinteractiveMode=false",
                "-DgroupId=com.example.partner", "-DartifactId=" + artifactId, "-Dversion=1.0.0",
                "-Dpackage=" + javaPackage, "-DconnectorId=" + connectorId));
        args.addAll(java.util.List.of(more));
        MavenRun generate = MavenRun.in(work, work.resolve("generate-" + artifactId + ".log"), 5, args.toArray(String[]::new));
        assertThat(generate.exitCode()).as("archetype:generate failed:\n%s", generate.tail()).isZero();
        return work.resolve(artifactId);
    }
}
