package io.omnihub.testkit;

import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.ChannelHttpClient;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * A plain {@link ChannelHttpClient} over the JDK client, without the hub's resilience decorators,
 * so connector tests see every answer the stubbed channel gives.
 */
public final class JdkChannelHttpClient implements ChannelHttpClient {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public HttpResponse send(HttpRequest request) {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(request.uri())
                .timeout(request.timeout())
                .method(request.method(), request.body().length == 0
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
        try {
            java.net.http.HttpResponse<byte[]> response =
                    client.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            return new HttpResponse(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new TransientException("channel unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted while calling the channel", e);
        }
    }
}
