package io.omnihub.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The SDK version is stated in three places that must agree: connector-api's Maven version (what
 * partners depend on), {@code omnihub.sdk.version} (what our plugins' {@code Plugin-Requires} is
 * built from) and {@link SdkVersion#CURRENT} (what the hub checks plugins against).
 */
class SdkVersionTest {

    @Test
    void reportedVersionIsThePublishedArtifactVersionAndTheOnePluginsDeclare() throws IOException {
        Properties build = new Properties();
        try (InputStream in = SdkVersionTest.class.getResourceAsStream("sdk-build.properties")) {
            build.load(in);
        }

        assertThat(SdkVersion.CURRENT).isEqualTo(build.getProperty("artifact.version"));
        assertThat(SdkVersion.CURRENT).isEqualTo(build.getProperty("declared.version"));
    }

    @Test
    void versionIsSemanticMajorMinorPatch() {
        assertThat(SdkVersion.CURRENT).matches("\\d+\\.\\d+\\.\\d+");
    }
}
