package io.omnihub.partnerkit;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.testsupport.HubListings.instance;
import static io.omnihub.testsupport.HubListings.plugin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a partner does, as CI checks it: generate a connector project from the archetype this build
 * installed, give it a library version the hub does not have, build it with a Maven run of its own
 * (outside this reactor, running its own acceptance suite), copy the JAR into the plugins folder of
 * a hub that is already running, and see the customers of its webhook and of its poller in the CRM
 * core. WireMock plays the partner's channel API.
 */
class PartnerPluginFromArchetypeTest {

    private static final Path WORK = Path.of("target", "partner-kit").toAbsolutePath();
    private static final String SDK_VERSION = System.getProperty("omnihub.sdk.version", "1.3.0");
    /** The Jackson the generated plugin bundles: older than the hub's, on purpose. */
    private static final String PLUGIN_JACKSON = "2.15.4";

    private static final String API_KEY = "ak_live_it_4f9d2c7e1a3b5c8d";
    private static final String SIGNING_SECRET = "whsec_it_6b1d3f5a7c9e2d4f";

    @RegisterExtension
    static final WireMockExtension CHANNEL = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    @Test
    void connectorGeneratedFromTheArchetypeAndBuiltApartIsHotLoadedAndItsEventsReachTheCrmCore() throws Exception {
        recreate(WORK);

        // 1. Generate, as the connector guide says: the class prefix comes from the connector id,
        //    and the project carries its own Maven wrapper.
        Path project = GeneratedConnector.generate(WORK);
        assertThat(project.resolve("src/main/java/com/example/acme/AcmeConnector.java")).isRegularFile();
        assertThat(project.resolve("mvnw")).isExecutable();
        assertThat(project.resolve(".mvn/wrapper/maven-wrapper.properties")).content().contains("distributionUrl=");
        String pom = Files.readString(project.resolve("pom.xml"));
        assertThat(pom).as("the generated project stands alone").doesNotContain("<parent>");
        assertThat(pom).contains("<omnihub.sdk.version>" + SDK_VERSION + "</omnihub.sdk.version>",
                "<artifactId>connector-api</artifactId>", "<scope>provided</scope>");

        // 2. A library version that differs from the hub's.
        String hubJackson = hubLibraryVersion("jackson-databind");
        assertThat(hubJackson).isNotEqualTo(PLUGIN_JACKSON);
        Matcher jackson = Pattern.compile("<jackson.version>[^<]+</jackson.version>").matcher(pom);
        assertThat(jackson.find()).as("the generated pom names its Jackson version").isTrue();
        Files.writeString(project.resolve("pom.xml"),
                jackson.replaceFirst("<jackson.version>" + PLUGIN_JACKSON + "</jackson.version>"));

        // 3. Build it apart, with its own wrapper and its own tests.
        MavenRun build = MavenRun.withWrapperOf(project, WORK.resolve("build.log"), 10, "package");
        assertThat(build.exitCode()).as("the generated project's build failed:\n%s", build.tail()).isZero();
        assertThat(build.output())
                .as("the acceptance suite ran every rule, none skipped")
                .containsPattern("Tests run: 17, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: .* in com\\.example\\.acme\\.AcmeConnectorAcceptanceTest");
        Path jar = project.resolve("target/acme-connector-1.0.0.jar");
        try (JarFile plugin = new JarFile(jar.toFile())) {
            Attributes manifest = plugin.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Plugin-Id")).isEqualTo("acme");
            assertThat(manifest.getValue("Plugin-Class")).isEqualTo("com.example.acme.AcmePlugin");
            assertThat(manifest.getValue("Plugin-Requires")).isEqualTo(">=" + SDK_VERSION + " & <2.0.0");
            assertThat(plugin.getEntry("com/fasterxml/jackson/databind/ObjectMapper.class")).as("Jackson bundled").isNotNull();
            assertThat(plugin.stream().map(e -> e.getName()).filter(n -> n.startsWith("io/omnihub/connector/")))
                    .as("the SDK is left to the hub").isEmpty();
        }

        // 4. A running hub, configured for the connector before its plugin exists.
        stubChannel();
        Path plugins = Files.createDirectories(WORK.resolve("plugins"));
        Map<String, String> properties = Map.of(
                "hub.plugins.dir", plugins.toString(),
                "hub.plugins.scan-interval", "500ms",
                "hub.connectors.acme.shop.base-url", CHANNEL.baseUrl(),
                "hub.connectors.acme.shop.account-id", "acct-it",
                "hub.connectors.acme.shop.api-key", API_KEY,
                "hub.connectors.acme.shop.signing-secret", SIGNING_SECRET,
                "hub.connectors.acme.shop.poll-interval", "1s");
        try (HubFromJar hub = new HubFromJar(WORK, properties, Duration.ofMinutes(3))) {
            assertThat(plugin(hub.get("/api/v1/plugins").json(), "acme")).as("not loaded before it is copied").isNull();

            // 5. Copy the plugin in, in one step, as `mv` would.
            Path partial = plugins.resolve("acme-plugin.jar.part");
            Files.copy(jar, partial);
            Files.move(partial, plugins.resolve("acme-plugin.jar"), StandardCopyOption.ATOMIC_MOVE);

            JsonNode plugin = awaitJson(hub, "/api/v1/plugins", list -> {
                JsonNode acme = plugin(list, "acme");
                return acme != null && "STARTED".equals(acme.path("state").asText()) ? acme : null;
            });
            assertThat(plugin.path("version").asText()).isEqualTo("1.0.0");
            assertThat(plugin.path("requires").asText()).isEqualTo(">=" + SDK_VERSION + " & <2.0.0");
            assertThat(plugin.path("connectors").toString()).isEqualTo("[\"acme\"]");
            JsonNode instance = awaitJson(hub, "/api/v1/connectors", list -> {
                JsonNode shop = instance(list, "acme", "shop");
                return shop != null && "RUNNING".equals(shop.path("state").asText()) ? shop : null;
            });
            assertThat(instance.toString()).as("secrets are masked").doesNotContain(API_KEY, SIGNING_SECRET);

            // 6. A signed webhook: its customer reaches the CRM core.
            byte[] body = ("{\"event_id\":\"evt_it_1\",\"type\":\"member.created\",\"occurred_at\":\"2025-05-20T09:58:10+08:00\","
                    + "\"member\":{\"id\":\"M-88001\",\"phone\":\"+8613700137001\",\"name\":\"Wang Fang\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            String timestamp = Long.toString(Instant.now().getEpochSecond());
            HubFromJar.Answer forged = hub.post("/hooks/acme/shop", Map.of("Content-Type", "application/json",
                    "X-Timestamp", timestamp, "X-Signature", "sha256=" + sign("whsec_not_the_secret_000", timestamp, body)), body);
            assertThat(forged.status()).as("a forged push is refused").isEqualTo(401);
            HubFromJar.Answer pushed = hub.post("/hooks/acme/shop", Map.of("Content-Type", "application/json",
                    "X-Timestamp", timestamp, "X-Signature", "sha256=" + sign(SIGNING_SECRET, timestamp, body)), body);
            assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
            assertThat(pushed.body()).isEqualTo("{\"received\":true}");

            JsonNode pushedCustomer = awaitCustomer(hub, "member_card:M-88001");
            // The customers API shows phones masked: its first three and last two characters.
            assertThat(hasIdentity(pushedCustomer, "phone", "+86*********01")).as(pushedCustomer.toString()).isTrue();
            assertThat(pushedCustomer.toString()).doesNotContain("13700137001", "Wang Fang");
            assertThat(awaitCustomer(hub, "phone:%2B8613700137001").path("id").asText())
                    .isEqualTo(pushedCustomer.path("id").asText());

            // 7. The poller's customer too: the hub polls the channel's change feed on its own.
            JsonNode polledCustomer = awaitCustomer(hub, "member_card:M-88002");
            assertThat(hasIdentity(polledCustomer, "phone", "+86*********02")).as(polledCustomer.toString()).isTrue();

            // 8. The plugin ran on its own Jackson, not the hub's.
            assertThat(hub.log()).contains("Acme Shop instance shop opened; JSON by jackson-databind " + PLUGIN_JACKSON);
        }
    }

    /** The channel's API as the generated connector expects it, answering the hub's instance. */
    private static void stubChannel() {
        CHANNEL.stubFor(get(urlPathEqualTo("/v1/ping")).withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .willReturn(okJson("{\"ok\":true}")));
        CHANNEL.stubFor(get(urlPathEqualTo("/v1/changes")).withQueryParam("cursor", absent())
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .willReturn(okJson("{\"changes\":[{\"event_id\":\"evt_it_2\",\"type\":\"member.updated\","
                        + "\"occurred_at\":\"2025-05-20T10:00:00+08:00\",\"member\":{\"id\":\"M-88002\",\"phone\":\"+8613700137002\"}}],"
                        + "\"next_cursor\":\"1\",\"has_more\":false}")));
        CHANNEL.stubFor(get(urlPathEqualTo("/v1/changes")).withQueryParam("cursor", equalTo("1"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .willReturn(okJson("{\"changes\":[],\"next_cursor\":\"1\",\"has_more\":false}")));
    }

    /** The version of a library inside the hub's JAR, e.g. {@code 2.19.4} for jackson-databind. */
    private static String hubLibraryVersion(String artifactId) throws IOException {
        Pattern name = Pattern.compile("BOOT-INF/lib/" + Pattern.quote(artifactId) + "-(\\d[^/]*)\\.jar");
        try (ZipFile hub = new ZipFile(HubFromJar.JAR.toFile())) {
            return hub.stream().map(entry -> name.matcher(entry.getName())).filter(Matcher::matches)
                    .map(m -> m.group(1)).findFirst()
                    .orElseThrow(() -> new AssertionError("the hub bundles no " + artifactId));
        }
    }

    /** An independent HMAC-SHA256 of {@code timestamp + "." + body}, the channel's signature. */
    private static String sign(String secret, String timestamp, byte[] body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static JsonNode awaitCustomer(HubFromJar hub, String identity) {
        return awaitJson(hub, "/api/v1/customers?identity=" + identity, customer -> customer);
    }

    /** Polls {@code path} until its 200 answer maps to something non-null; fails with the last answer. */
    private static JsonNode awaitJson(HubFromJar hub, String path, java.util.function.Function<JsonNode, JsonNode> found) {
        AtomicReference<HubFromJar.Answer> last = new AtomicReference<>();
        AtomicReference<JsonNode> result = new AtomicReference<>();
        try {
            Awaitility.await(path).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                HubFromJar.Answer answer = hub.get(path);
                last.set(answer);
                if (answer.status() != 200) {
                    return false;
                }
                result.set(found.apply(answer.json()));
                return result.get() != null;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no matching answer from " + path + "; last: " + last.get() + "; hub log: " + hub.logFile(), e);
        }
        return result.get();
    }

    private static boolean hasIdentity(JsonNode customer, String type, String value) {
        for (JsonNode identity : customer.path("identities")) {
            if (type.equals(identity.path("type").asText()) && value.equals(identity.path("value").asText())) {
                return true;
            }
        }
        return false;
    }

    static void recreate(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }
}
