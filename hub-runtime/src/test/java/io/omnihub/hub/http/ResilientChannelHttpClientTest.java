package io.omnihub.hub.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import io.omnihub.testsupport.FreePort;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each instance's HTTP client against a channel server (WireMock) that fails and recovers. */
class ResilientChannelHttpClientTest {

    private final WireMockServer channel = new WireMockServer(wireMockConfig().dynamicPort());
    private final ResilienceRegistries registries = ResilienceRegistries.create();
    private final HttpClient jdk = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
    private ResilientChannelHttpClient client;

    @BeforeEach
    void start() {
        channel.start();
        client = new ResilientChannelHttpClient("wechat", "brand-oa", jdk, registries, quickSettings());
    }

    @AfterEach
    void stop() {
        channel.stop();
    }

    /** Small windows and waits so a test sees the circuit open and close in well under a second. */
    private static ResilienceSettings quickSettings() {
        ResilienceSettings settings = new ResilienceSettings();
        settings.getCircuitBreaker().setSlidingWindowSize(4);
        settings.getCircuitBreaker().setMinimumNumberOfCalls(4);
        settings.getCircuitBreaker().setWaitInOpenState(Duration.ofMillis(300));
        settings.getCircuitBreaker().setPermittedCallsInHalfOpenState(1);
        settings.getRetry().setInitialBackoff(Duration.ofMillis(10));
        settings.getRetry().setMaxBackoff(Duration.ofMillis(20));
        return settings;
    }

    private URI uri(String path) {
        return URI.create(channel.baseUrl() + path);
    }

    @Test
    void circuitOpensAgainstAFailingChannelAndClosesWhenItRecovers() {
        channel.stubFor(get(urlPathEqualTo("/cgi-bin/token")).willReturn(aResponse().withStatus(500)));

        // Every answer is returned, 5xx included, until the breaker has seen enough failures.
        HttpResponse first = client.send(HttpRequest.get(uri("/cgi-bin/token?appid=wx1&secret=s3cret")));
        assertThat(first.status()).isEqualTo(500);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 10; i++) {
                client.send(HttpRequest.get(uri("/cgi-bin/token?appid=wx1&secret=s3cret")));
            }
        }).isInstanceOf(TransientException.class).hasMessage("circuit breaker open for wechat/brand-oa");
        assertThat(registries.circuitBreakers().circuitBreaker("wechat/brand-oa").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        int callsWhileOpen = channel.getAllServeEvents().size();
        assertThatThrownBy(() -> client.send(HttpRequest.get(uri("/cgi-bin/token")))).isInstanceOf(TransientException.class);
        assertThat(channel.getAllServeEvents()).hasSize(callsWhileOpen);

        channel.stubFor(get(urlPathEqualTo("/cgi-bin/token")).willReturn(aResponse().withStatus(200).withBody("{\"access_token\":\"t\"}")));

        HttpResponse recovered = awaitAnswer(HttpRequest.get(uri("/cgi-bin/token")), Duration.ofSeconds(10));
        assertThat(recovered.status()).isEqualTo(200);
        assertThat(recovered.bodyAsUtf8()).contains("access_token");
        assertThat(registries.circuitBreakers().circuitBreaker("wechat/brand-oa").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void idempotentRequestIsRetriedOnServerErrorsButAPostIsNot() {
        channel.stubFor(get(urlPathEqualTo("/user/info")).willReturn(aResponse().withStatus(503)));
        channel.stubFor(post(urlPathEqualTo("/message/send")).willReturn(aResponse().withStatus(502)));

        HttpResponse lookup = client.send(HttpRequest.get(uri("/user/info")));
        HttpResponse send = client.send(HttpRequest.postJson(uri("/message/send"), "{\"touser\":\"o1\"}"));

        assertThat(lookup.status()).isEqualTo(503);
        channel.verify(3, getRequestedFor(urlPathEqualTo("/user/info")));
        assertThat(send.status()).isEqualTo(502);
        channel.verify(1, postRequestedFor(urlPathEqualTo("/message/send")));
    }

    @Test
    void clientErrorsAreAnswersNotFailures() {
        channel.stubFor(get(urlPathEqualTo("/cgi-bin/token")).willReturn(aResponse().withStatus(400).withBody("{\"errcode\":40013}")));

        for (int i = 0; i < 8; i++) {
            assertThat(client.send(HttpRequest.get(uri("/cgi-bin/token"))).status()).isEqualTo(400);
        }
        assertThat(registries.circuitBreakers().circuitBreaker("wechat/brand-oa").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void unreachableChannelIsATransientErrorThatNeverShowsTheQuery() throws Exception {
        int closedPort = FreePort.pick();
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/cgi-bin/token?access_token=SECRET-TOKEN");

        assertThatThrownBy(() -> client.send(HttpRequest.get(nowhere)))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("wechat/brand-oa")
                .hasMessageContaining("/cgi-bin/token")
                .hasMessageNotContaining("SECRET-TOKEN");
    }

    private HttpResponse awaitAnswer(HttpRequest request, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        TransientException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse response = client.send(request);
                if (response.isSuccess()) {
                    return response;
                }
            } catch (TransientException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no successful answer within " + timeout, last);
    }
}
