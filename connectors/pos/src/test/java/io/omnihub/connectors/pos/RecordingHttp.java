package io.omnihub.connectors.pos;

import io.omnihub.connector.http.ChannelHttpClient;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import io.omnihub.testkit.JdkChannelHttpClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Real HTTP that also keeps every request the connector hands to the hub's client. */
final class RecordingHttp implements ChannelHttpClient {

    final List<HttpRequest> requests = new CopyOnWriteArrayList<>();
    private final ChannelHttpClient delegate = new JdkChannelHttpClient();

    @Override
    public HttpResponse send(HttpRequest request) {
        requests.add(request);
        return delegate.send(request);
    }
}
