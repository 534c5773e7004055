package io.omnihub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The image, compose file and Kubernetes manifests in {@code deploy/} (and the Jib configuration)
 * only name what the hub has: they parse; every hub property they set through the environment is a
 * property the hub (or Spring Boot) knows; every port is the hub's port; every probe and scrape path
 * answers on a running hub; every variable the broker containers set is one the broker start script
 * reads, and every setting that script passes is one the brokers' configuration uses.
 */
class DeploymentManifestsTest extends RunningHub {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Path DEPLOY = REPOSITORY.resolve("deploy");
    private static final Pattern SYSTEM_PROPERTY = Pattern.compile("-D(omnihub\\.[a-z.-]+)=");

    @Test
    void theKubernetesManifestsParseAndNameOnlyWhatTheHubHas() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        documents.addAll(yamlDocuments(DEPLOY.resolve("kubernetes/hub.yaml")));
        documents.addAll(yamlDocuments(DEPLOY.resolve("kubernetes/artemis.yaml")));
        Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
        for (Map<String, Object> document : documents) {
            assertThat(document).containsKeys("apiVersion", "kind", "metadata");
            byKind.put(document.get("kind") + "/" + map(document, "metadata").get("name"), document);
        }
        assertThat(byKind).containsKeys("Deployment/omnihub", "Service/omnihub", "ConfigMap/omnihub-config",
                "PodDisruptionBudget/omnihub", "HorizontalPodAutoscaler/omnihub",
                "StatefulSet/artemis-primary", "StatefulSet/artemis-backup", "Service/artemis-primary", "Service/artemis-backup");

        Map<String, Object> hub = containers(byKind.get("Deployment/omnihub")).get(0);
        Set<String> variables = new TreeSet<>(map(byKind.get("ConfigMap/omnihub-config"), "data").keySet());
        for (Map<String, Object> variable : list(hub, "env")) {
            variables.add((String) variable.get("name"));
        }
        assertEveryVariableIsAHubProperty(variables);
        List<Map<String, Object>> ports = list(hub, "ports");
        assertThat(ports).extracting(port -> port.get("containerPort")).containsExactly(hubPort());
        Set<String> portNames = new HashSet<>();
        ports.forEach(port -> portNames.add((String) port.get("name")));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<String, Object> httpGet = map(map(hub, probe), "httpGet");
            assertThat(portNames).contains((String) httpGet.get("port"));
            assertAnswersUp((String) httpGet.get("path"));
        }
        Map<String, Object> annotations = map(map(map(map(byKind.get("Deployment/omnihub"), "spec"), "template"), "metadata"), "annotations");
        assertThat(getAsAdmin((String) annotations.get("prometheus.io/path")).status()).isEqualTo(200);
        assertThat(annotations.get("prometheus.io/port")).isEqualTo(String.valueOf(hubPort()));
        Map<String, Object> servicePort = list(map(byKind.get("Service/omnihub"), "spec"), "ports").get(0);
        assertThat(portNames).contains((String) servicePort.get("targetPort"));

        String startScript = Files.readString(DEPLOY.resolve("artemis/start-broker.sh"));
        for (String broker : List.of("StatefulSet/artemis-primary", "StatefulSet/artemis-backup")) {
            for (Map<String, Object> variable : list(containers(byKind.get(broker)).get(0), "env")) {
                assertThat(reads(startScript, (String) variable.get("name"))).as("start-broker.sh reads %s", variable.get("name")).isTrue();
            }
        }
    }

    @Test
    void theComposeFileRunsThreeHubsThePairPostgresPrometheusAndGrafanaWithTheHubsSettings() throws IOException {
        Map<String, Object> compose = yamlDocuments(DEPLOY.resolve("compose/compose.yaml")).get(0);
        Map<String, Object> services = map(compose, "services");
        assertThat(services).containsKeys("hub-1", "hub-2", "hub-3", "artemis-primary", "artemis-backup", "postgres",
                "prometheus", "grafana");
        String startScript = Files.readString(DEPLOY.resolve("artemis/start-broker.sh"));
        for (Map.Entry<String, Object> service : services.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> definition = (Map<String, Object>) service.getValue();
            if (service.getKey().startsWith("hub-")) {
                assertEveryVariableIsAHubProperty(map(definition, "environment").keySet());
                assertThat(String.valueOf(definition.get("ports"))).contains(":" + hubPort());
                String healthcheck = String.valueOf(map(definition, "healthcheck").get("test"));
                Matcher path = Pattern.compile("GET (/\\S+) HTTP").matcher(healthcheck);
                assertThat(path.find()).isTrue();
                assertAnswersUp(path.group(1));
            }
            if (service.getKey().startsWith("artemis-")) {
                for (String variable : map(definition, "environment").keySet()) {
                    assertThat(reads(startScript, variable)).as("start-broker.sh reads %s", variable).isTrue();
                }
            }
        }
        String prometheus = Files.readString(DEPLOY.resolve("compose/prometheus.yml"));
        assertThat(prometheus).contains("hub-1:" + hubPort(), "hub-2:" + hubPort(), "hub-3:" + hubPort());
    }

    @Test
    void everySettingTheBrokerStartScriptPassesIsOneTheBrokersConfigurationUses() throws IOException {
        String startScript = Files.readString(DEPLOY.resolve("artemis/start-broker.sh"));
        Matcher passed = SYSTEM_PROPERTY.matcher(startScript);
        Set<String> properties = new TreeSet<>();
        while (passed.find()) {
            properties.add(passed.group(1));
        }
        assertThat(properties).contains("omnihub.broker.announce", "omnihub.broker.peer", "omnihub.cluster.password");
        for (String role : List.of("primary", "backup")) {
            String brokerXml = Files.readString(DEPLOY.resolve("artemis").resolve(role).resolve("broker.xml"));
            for (String property : properties) {
                assertThat(brokerXml).as("%s/broker.xml uses %s", role, property).contains("${" + property);
            }
            assertThat(brokerXml).contains("<" + role + ">", "hub-address-settings.xml", "hub-addresses.xml");
        }
        String addresses = Files.readString(DEPLOY.resolve("artemis/hub-addresses.xml"));
        for (String queue : List.of("hub.raw", "hub.events", "hub.enrich", "hub.actions", "hub.dlq")) {
            assertThat(addresses).contains("<queue name=\"" + queue + "\"/>");
        }
    }

    @Test
    void theImagesEnvironmentNamesHubProperties() throws IOException {
        String pom = Files.readString(REPOSITORY.resolve("hub-runtime/pom.xml"));
        String environment = pom.substring(pom.indexOf("<environment>"), pom.indexOf("</environment>"));
        Matcher variable = Pattern.compile("<([A-Z_]+)>").matcher(environment);
        Set<String> variables = new TreeSet<>();
        while (variable.find()) {
            variables.add(variable.group(1));
        }
        assertThat(variables).contains("HUB_DATADIR", "HUB_PLUGINS_DIR");
        assertEveryVariableIsAHubProperty(variables);
        assertThat(pom).contains("<port>" + hubPort() + "</port>");
    }

    // ------------------------------------------------------------------------------------------

    /** Whether a shell script uses a variable: {@code $NAME} or {@code ${NAME...}}. */
    private static boolean reads(String script, String variable) {
        return Pattern.compile("\\$\\{?" + Pattern.quote(variable) + "\\b").matcher(script).find();
    }

    private void assertAnswersUp(String path) {
        Answer answer = getAnonymously(path);
        assertThat(answer.status()).as(path).isEqualTo(200);
        assertThat(answer.body()).as(path).contains("\"UP\"");
    }

    /** Spring Boot binds SPRING_DATASOURCE_URL to spring.datasource.url: dots become underscores, dashes go. */
    private static void assertEveryVariableIsAHubProperty(Set<String> variables) throws IOException {
        Set<String> exact = new HashSet<>();
        Set<String> mapPrefixes = new HashSet<>();
        Enumeration<URL> metadata = DeploymentManifestsTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json");
        while (metadata.hasMoreElements()) {
            try (InputStream in = metadata.nextElement().openStream()) {
                for (JsonNode property : JSON.readTree(in).path("properties")) {
                    String variable = asVariable(property.path("name").asText());
                    exact.add(variable);
                    if (property.path("type").asText().startsWith("java.util.Map")) {
                        mapPrefixes.add(variable + "_");
                    }
                }
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String name : variables) {
            boolean known = exact.contains(name) || mapPrefixes.stream().anyMatch(name::startsWith);
            if (!known) {
                unknown.add(name);
            }
        }
        assertThat(unknown).as("environment variables that bind to no property of the hub").isEmpty();
    }

    private static String asVariable(String property) {
        return property.replace("-", "").replace('.', '_').replace("[", "").replace("]", "").toUpperCase(Locale.ROOT);
    }

    /** The port the hub listens on unless told otherwise: server.port in its application.yml. */
    private static int hubPort() throws IOException {
        try (InputStream in = DeploymentManifestsTest.class.getResourceAsStream("/application.yml")) {
            Map<String, Object> defaults = new Yaml().load(in);
            return (Integer) map(defaults, "server").get("port");
        }
    }

    private static List<Map<String, Object>> yamlDocuments(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Object document : new Yaml().loadAll(in)) {
                if (document != null) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = (Map<String, Object>) document;
                    documents.add(map);
                }
            }
        }
        return documents;
    }

    private static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return list(map(map(map(workload, "spec"), "template"), "spec"), "containers");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }
}
