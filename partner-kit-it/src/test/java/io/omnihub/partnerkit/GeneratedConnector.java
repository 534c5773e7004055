package io.omnihub.partnerkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** A connector project generated from this build's archetype, as the connector guide tells partners to. */
final class GeneratedConnector {

    static final String OMNIHUB_VERSION = System.getProperty("omnihub.version", "0.1.0-SNAPSHOT");

    private GeneratedConnector() {
    }

    /** Generates the "Acme Shop" connector (id {@code acme}, package {@code com.example.acme}) in {@code work}. */
    static Path generate(Path work) {
        MavenRun generate = MavenRun.in(work, work.resolve("generate.log"), 5,
                "org.apache.maven.plugins:maven-archetype-plugin:"
                        + System.getProperty("omnihub.archetype.plugin.version", "3.4.0") + ":generate",
                "-DarchetypeGroupId=io.omnihub", "-DarchetypeArtifactId=connector-archetype",
                "-DarchetypeVersion=" + OMNIHUB_VERSION, "-DinteractiveMode=false",
                "-DgroupId=com.example.partner", "-DartifactId=acme-connector", "-Dversion=1.0.0",
                "-Dpackage=com.example.acme", "-DconnectorId=acme", "-DclassName=Acme", "-DchannelName=Acme Shop");
        assertThat(generate.exitCode()).as("archetype:generate failed:\n%s", generate.tail()).isZero();
        return work.resolve("acme-connector");
    }
}
