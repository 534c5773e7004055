package io.omnihub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.chanjar.weixin.common.util.crypto.SHA1;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules and the Grafana dashboard in {@code deploy/} only use metrics the hub really
 * exports: after one message has gone through the pipeline, every metric name they mention is on
 * {@code /actuator/prometheus}.
 */
class MonitoringDeploymentTest extends RunningHub {

    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final Pattern METRIC = Pattern.compile("\\b((?:hub|resilience4j)_[a-z0-9_]+)\\b");

    @Test
    void theAlertRulesCoverWhatOperatorsMustHearAboutAndAreComplete() throws IOException {
        List<Map<String, Object>> rules = alertRules();

        assertThat(rules).extracting(rule -> rule.get("alert"))
                .contains("OmniHubInstanceFailed", "OmniHubCircuitOpen", "OmniHubDeadLettersGrowing", "OmniHubConsumerLag",
                        "OmniHubDeadLettersNearLimit", "OmniHubBrokerDiskFilling", "OmniHubWebhooksRefused");
        for (Map<String, Object> rule : rules) {
            assertThat(rule).containsKeys("alert", "expr", "for", "labels", "annotations");
            assertThat(((Map<?, ?>) rule.get("labels")).get("severity")).isNotNull();
            assertThat(((Map<?, ?>) rule.get("annotations")).get("summary")).isNotNull();
        }
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardUseIsExportedByTheHub() throws IOException {
        Set<String> used = new TreeSet<>();
        for (Map<String, Object> rule : alertRules()) {
            used.addAll(metricsIn(String.valueOf(rule.get("expr"))));
        }
        JsonNode dashboard = JSON.readTree(Files.readString(DEPLOY.resolve("grafana/omnihub-dashboard.json")));
        for (JsonNode expr : dashboard.findValues("expr")) {
            used.addAll(metricsIn(expr.asText()));
        }
        for (JsonNode query : dashboard.path("templating").path("list").findValues("query")) {
            used.addAll(metricsIn(query.asText()));
        }
        assertThat(used).contains("hub_instance_state", "hub_dlq_depth", "hub_queue_depth", "hub_stage_messages_total",
                "hub_pipeline_latency_seconds_bucket", "resilience4j_circuitbreaker_state");

        assertThat(textMessageToBrandOa()).isEqualTo(200);

        String exported = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> send("/actuator/prometheus", admin.username(), admin.password()).body(),
                        body -> body.contains("hub_stage_messages_total{") && body.contains("stage=\"core\"")
                                && body.contains("hub_pipeline_latency_seconds_bucket{"));
        List<String> missing = new ArrayList<>();
        for (String metric : used) {
            if (!exported.contains(metric + "{") && !exported.contains(metric + " ")) {
                missing.add(metric);
            }
        }
        assertThat(missing).as("metrics deploy/ uses that the hub does not export").isEmpty();
        assertThat(exported).containsPattern("hub_instance_state\\{[^}]*connector=\"wechat\"[^}]*instance=\"broken-oa\"[^}]*state=\"FAILED\"[^}]*} 1\\.0");
        assertThat(exported).containsPattern("hub_stage_messages_total\\{[^}]*instance=\"brand-oa\"[^}]*outcome=\"ok\"[^}]*stage=\"normalize\"");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alertRules() throws IOException {
        try (InputStream in = Files.newInputStream(DEPLOY.resolve("prometheus/omnihub-alerts.yml"))) {
            Map<String, Object> document = new Yaml().load(in);
            List<Map<String, Object>> rules = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) document.get("groups")) {
                rules.addAll((List<Map<String, Object>>) group.get("rules"));
            }
            return rules;
        }
    }

    private static Set<String> metricsIn(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(expression);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** A text message to wechat/brand-oa (plaintext mode), signed with its token as WeChat signs it. */
    private int textMessageToBrandOa() {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = Long.toString(System.nanoTime());
        String xml = "<xml><ToUserName><![CDATA[gh_metrics]]></ToUserName><FromUserName><![CDATA[oMetricsProbe_0123456789abcd]]></FromUserName>"
                + "<CreateTime>" + timestamp + "</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                + "<Content><![CDATA[metrics]]></Content><MsgId>" + System.nanoTime() + "</MsgId></xml>";
        URI uri = URI.create("http://localhost:" + port + "/hooks/wechat/brand-oa?signature=" + SHA1.gen(BRAND_OA_TOKEN, timestamp, nonce)
                + "&timestamp=" + timestamp + "&nonce=" + nonce + "&openid=oMetricsProbe_0123456789abcd");
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Content-Type", "text/xml")
                    .POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
