package io.omnihub.hub.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Asks {@code /actuator/health} every quarter second, as a load balancer or Kubernetes would, and keeps every answer. */
final class HealthProbe implements AutoCloseable {

    /** One ask: when, how long the answer took (-1: none within the probe's timeout), the status and the body. */
    record Sample(long startedAtMillis, long tookMillis, int status, String body) {

        /** Whether the answer names {@code component} DOWN. */
        boolean down(String component) {
            return body != null && body.replace(" ", "").contains("\"" + component + "\":{\"status\":\"DOWN\"");
        }

        boolean up() {
            return status == 200 && body.contains("\"status\":\"UP\"");
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    HealthProbe(String baseUrl) {
        this.url = baseUrl + "/actuator/health";
        this.thread = new Thread(this::probe, "health-probe");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    List<Sample> between(long fromMillis, long toMillis) {
        return samples.stream().filter(s -> s.startedAtMillis() >= fromMillis && s.startedAtMillis() < toMillis).toList();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void probe() {
        while (running) {
            long started = System.currentTimeMillis();
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                samples.add(new Sample(started, System.currentTimeMillis() - started, answer.statusCode(), answer.body()));
            } catch (IOException e) {
                samples.add(new Sample(started, -1, -1, e.toString()));
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(Math.max(0, 250 - (System.currentTimeMillis() - started)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
