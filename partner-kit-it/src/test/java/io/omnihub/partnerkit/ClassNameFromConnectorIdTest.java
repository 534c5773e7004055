package io.omnihub.partnerkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A partner who gives only the connector id gets classes named after it in upper camel case. */
class ClassNameFromConnectorIdTest {

    private static final Path WORK = Path.of("target", "class-name-from-id").toAbsolutePath();

    @Test
    void aDashedConnectorIdGivesUpperCamelCaseClassNames() throws Exception {
        PartnerPluginFromArchetypeTest.recreate(WORK);

        Path project = GeneratedConnector.generate(WORK, "star-mall-2", "star-mall-connector", "com.example.starmall");

        Path sources = project.resolve("src/main/java/com/example/starmall");
        assertThat(sources.resolve("StarMall2Connector.java")).isRegularFile();
        assertThat(sources.resolve("StarMall2WebhookHandler.java")).isRegularFile();
        assertThat(Files.readString(sources.resolve("StarMall2Connector.java"))).contains("\"star-mall-2\"");
        assertThat(Files.readString(project.resolve("README.md"))).startsWith("StarMall2 connector for OmniHub");
    }
}
