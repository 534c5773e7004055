package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.hub.RunningHub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A definition written over the API that would take every node down when evaluated or walked is
 * refused with a 400 naming the problem and its line, and nothing is stored.
 */
class DefinitionLimitsTest extends RunningHub {

    @Test
    void aRuleWhoseConditionCanGrowWithoutBoundIsRefusedWithItsLine() throws Exception {
        HttpResponse<String> answer = putRule("greedy", """
                on: message.received
                when: "event.message.text.replace('a', event.message.text).replace('b', event.message.text).size() > 0"
                then: [ { tag: greedy } ]
                """);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(answer.body()).path("line").asInt()).isEqualTo(2);
        assertThat(JSON.readTree(answer.body()).path("detail").asText()).contains("is refused", "replace() or join()");
        assertThat(getAsAdmin("/api/v1/rules/greedy").status()).isEqualTo(404);
    }

    @Test
    void aRuleWithAYamlAliasBombIsRefused() throws Exception {
        StringBuilder yaml = new StringBuilder("on: message.received\nthen: [ { tag: boom } ]\ndescription: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int level = 1; level <= 5; level++) {
            yaml.append("x").append(level).append(": &l").append(level).append(" [");
            for (int i = 0; i < 9; i++) {
                yaml.append(i == 0 ? "" : ", ").append("*l").append(level - 1);
            }
            yaml.append("]\n");
        }

        HttpResponse<String> answer = putRule("boom", yaml.toString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("detail").asText()).contains("expands to", "aliases");
    }

    private HttpResponse<String> putRule(String id, String yaml) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/rules/" + id))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((admin.username() + ":" + admin.password())
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(yaml)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
