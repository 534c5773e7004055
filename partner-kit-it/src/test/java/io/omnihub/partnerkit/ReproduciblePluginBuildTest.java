package io.omnihub.partnerkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What an operator who keeps a plugin allowlist relies on: our POS plugin, rebuilt from this
 * commit's sources in two other folders by Maven runs of their own, is byte for byte the JAR this
 * build dropped into {@code plugins/}, so its SHA-256 can be checked against the source. The JAR
 * also carries the SBOM of what it bundles.
 */
class ReproduciblePluginBuildTest {

    private static final Path WORK = Path.of("target", "reproducible-build").toAbsolutePath();

    @Test
    void pluginRebuiltFromTheSameCommitHasTheSameSha256() throws Exception {
        PartnerPluginFromArchetypeTest.recreate(WORK);
        Path shipped = MavenRun.ROOT.resolve("plugins/pos-plugin.jar");
        assertThat(shipped).as("the reactor build drops the POS plugin into plugins/").exists();

        Path first = rebuild("first");
        Path second = rebuild("second");

        assertThat(sha256(first)).as("two rebuilds from the same sources").isEqualTo(sha256(second));
        assertThat(sha256(first)).as("a rebuild and the JAR in plugins/").isEqualTo(sha256(shipped));
    }

    @Test
    void pluginJarCarriesTheSbomOfWhatItBundles() throws Exception {
        try (ZipFile jar = new ZipFile(MavenRun.ROOT.resolve("plugins/pos-plugin.jar").toFile())) {
            var entry = jar.getEntry("META-INF/sbom/plugin.cdx.json");
            assertThat(entry).as("META-INF/sbom/plugin.cdx.json in the plugin JAR").isNotNull();
            String sbom;
            try (InputStream in = jar.getInputStream(entry)) {
                sbom = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(sbom).contains("\"bomFormat\" : \"CycloneDX\"")
                    .contains("pkg:maven/io.omnihub/connector-pos@")
                    .contains("pkg:maven/com.fasterxml.jackson.core/jackson-databind@")
                    // The SDK is the hub's, never bundled, so never listed.
                    .doesNotContain("pkg:maven/io.omnihub/connector-api@");
            assertThat(jar.getEntry("com/fasterxml/jackson/databind/ObjectMapper.class")).as("what the SBOM lists is inside").isNotNull();
        }
    }

    /** Copies the parent POM and the POS module into a folder of its own and packages the plugin there. */
    private static Path rebuild(String name) throws IOException {
        Path root = WORK.resolve(name);
        Path module = root.resolve("connectors/pos");
        Files.createDirectories(module);
        Files.copy(MavenRun.ROOT.resolve("pom.xml"), root.resolve("pom.xml"));
        Files.copy(MavenRun.ROOT.resolve("connectors/pos/pom.xml"), module.resolve("pom.xml"));
        copyTree(MavenRun.ROOT.resolve("connectors/pos/src/main"), module.resolve("src/main"));
        Path out = root.resolve("out");
        MavenRun build = MavenRun.in(module, root.resolve("build.log"), 10,
                "-q", "package", "-DskipTests", "-Domnihub.plugins.dir=" + out);
        assertThat(build.exitCode()).as("rebuild in %s:%n%s", root, build.tail()).isZero();
        return out.resolve("pos-plugin.jar");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
