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
 *
 * <p>The JDK client is built on the first request: it holds a selector thread and file descriptors
 * until collected, and a fuzz test opens a context per input, most of them never calling the
 * channel or calling a fake one ({@link TestConnectorContext#withHttp}).
 */
public final class JdkChannelHttpClient implements ChannelHttpClient {

    private HttpClient client;

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
        return client;
    }

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
                    client().send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            return new HttpResponse(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new TransientException("channel unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted while calling the channel", e);
        }
    }
}
