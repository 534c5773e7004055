package io.omnihub.routes.ingress;

import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.routes.ConnectorRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /hooks/<connector>/<instance>}: reads each request without holding a thread and
 * without ever holding more than the connector's body limit, then hands it to the
 * {@code webhook-ingress} route through the {@link WebhookReception}.
 *
 * <ul>
 *   <li>A {@code Content-Length} over the limit is answered 413 before a byte of the body is read;
 *       a chunked body is cut off, and answered 413, as soon as it passes the limit. Either way the
 *       connection is closed, so the rest of the body is never read.</li>
 *   <li>The body is read with non-blocking I/O: a slow sender costs no server thread.</li>
 *   <li>No request is held past its connector's deadline: what has not been answered by then (the
 *       body still arriving, the broker not confirming) is answered 503, which channels retry.</li>
 *   <li>While the hub is not ready (starting, stopping) or the route is stopped, known instances
 *       are answered 503 with {@code Retry-After}, never 404: a channel may take a 404 as "this
 *       address is gone" and stop sending.</li>
 * </ul>
 * Only GET (handshakes) and POST are served; an unknown instance is answered 404 before its body
 * is read.
 */
public final class WebhookServlet extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServlet.class);
    private static final int READ_CHUNK = 8192;

    private final transient WebhookReception reception;
    private final transient ConnectorRegistry registry;
    private final transient WebhookLimits limits;
    private final transient WebhookOutcomes outcomes;
    private final transient BooleanSupplier accepting;
    private final transient Clock clock;

    /**
     * @param accepting whether the hub takes traffic now: false while it starts and from the moment
     *                  it begins to shut down
     */
    public WebhookServlet(WebhookReception reception, ConnectorRegistry registry, WebhookLimits limits,
                          WebhookOutcomes outcomes, BooleanSupplier accepting, Clock clock) {
        this.reception = reception;
        this.registry = registry;
        this.limits = limits;
        this.outcomes = outcomes;
        this.accepting = accepting;
        this.clock = clock;
    }

    @Override
    protected void service(HttpServletRequest http, HttpServletResponse response) throws IOException {
        String method = http.getMethod();
        if (!"GET".equals(method) && !"POST".equals(method)) {
            response.setHeader("Allow", "GET, POST");
            write(response, plain(405, "webhooks take GET and POST only"), false);
            return;
        }
        String[] path = pathOf(http.getPathInfo());
        if (path == null) {
            write(response, plain(404, "no such webhook; use /hooks/<connector>/<instance>"), false);
            return;
        }
        String connectorId = path[0];
        String instanceId = path[1];
        if (!registry.configured(connectorId, instanceId)) {
            write(response, plain(404, "no webhook instance " + connectorId + "/" + instanceId), false);
            return;
        }
        if (!accepting.getAsBoolean() || !reception.open()) {
            outcomes.count(connectorId, instanceId, "unavailable");
            unavailable(response, "the hub is not taking webhooks right now (starting or stopping); retry later");
            return;
        }
        long limit = limits.maxBodyBytes(connectorId);
        long length = http.getContentLengthLong();
        if (length > limit) {
            outcomes.count(connectorId, instanceId, "too_large");
            tooLarge(response, limit);
            return;
        }
        boolean hasBody = length > 0 || (length < 0 && http.getHeader("Transfer-Encoding") != null);
        InFlight request = new InFlight(http, response, connectorId, instanceId, limit, hasBody ? length : 0);
        if (hasBody) {
            http.getInputStream().setReadListener(request);
        } else {
            request.onAllDataRead();
        }
    }

    /** One request from the moment it is known to be acceptable until it is answered. */
    private final class InFlight implements ReadListener, AsyncListener {
        private final AsyncContext async;
        private final HttpServletResponse response;
        private final ServletInputStream input;
        private final String connectorId;
        private final String instanceId;
        private final long limit;
        private final String method;
        private final String rawQuery;
        private final Map<String, List<String>> headers;
        private final Instant receivedAt;
        private final byte[] chunk;
        private byte[] body;
        private int size;
        private boolean answered;

        /** @param length the announced body size, -1 for a chunked body, 0 for none */
        InFlight(HttpServletRequest http, HttpServletResponse response, String connectorId, String instanceId,
                 long limit, long length) throws IOException {
            this.receivedAt = clock.instant();
            this.response = response;
            this.connectorId = connectorId;
            this.instanceId = instanceId;
            this.limit = limit;
            this.method = http.getMethod();
            this.rawQuery = http.getQueryString();
            this.headers = headersOf(http);
            this.body = new byte[(int) (length >= 0 ? length : Math.min(limit, READ_CHUNK))];
            this.chunk = length >= 0 ? null : new byte[READ_CHUNK];
            this.async = http.startAsync();
            this.async.setTimeout(limits.deadline(connectorId).toMillis());
            this.async.addListener(this);
            this.input = length == 0 ? null : http.getInputStream();
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!isAnswered() && input.isReady()) {
                int n;
                if (chunk == null) {
                    if (size == body.length) {
                        // More than the Content-Length promised: the container ends the body there.
                        if (input.read() < 0) {
                            return;
                        }
                        tooLargeAfterReading();
                        return;
                    }
                    n = input.read(body, size, body.length - size);
                    if (n > 0) {
                        size += n;
                    }
                } else {
                    n = input.read(chunk);
                    if (n > 0) {
                        if (size + (long) n > limit) {
                            tooLargeAfterReading();
                            return;
                        }
                        if (size + n > body.length) {
                            body = Arrays.copyOf(body, (int) Math.min(limit, Math.max((long) body.length * 2, size + n)));
                        }
                        System.arraycopy(chunk, 0, body, size, n);
                        size += n;
                    }
                }
                if (n < 0) {
                    return; // onAllDataRead follows
                }
            }
        }

        @Override
        public void onAllDataRead() {
            if (isAnswered()) {
                return;
            }
            byte[] complete = size == body.length ? body : Arrays.copyOf(body, size);
            WebhookRequest request = new WebhookRequest(method, parseQuery(rawQuery), headers, complete, receivedAt);
            WebhookCall call = new WebhookCall(connectorId, instanceId, request, rawQuery);
            if (!reception.dispatch(call, this::reply)) {
                outcomes.count(connectorId, instanceId, "unavailable");
                reply(unavailableReply("the hub is stopping; retry later"));
            }
        }

        @Override
        public void onError(Throwable failure) {
            // The sender went away or broke the body: nobody is left to answer.
            LOG.debug("webhook {}/{}: reading the body failed: {}", connectorId, instanceId, failure.toString());
            finish();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            boolean mine;
            synchronized (this) {
                mine = !answered;
            }
            if (mine) {
                outcomes.count(connectorId, instanceId, "timeout");
                LOG.warn("webhook {}/{}: not answered within {} ms, answered 503", connectorId, instanceId,
                        limits.deadline(connectorId).toMillis());
                reply(unavailableReply("the hub could not answer in time; retry later"));
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            finish();
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        private void tooLargeAfterReading() {
            outcomes.count(connectorId, instanceId, "too_large");
            body = new byte[0];
            reply(tooLargeReply(limit), true);
        }

        void reply(WebhookReply reply) {
            reply(reply, false);
        }

        /** Writes the first answer and completes the request; later answers are dropped. */
        private synchronized void reply(WebhookReply reply, boolean closeConnection) {
            if (answered) {
                return;
            }
            answered = true;
            try {
                if (reply.status() == 503) {
                    response.setHeader("Retry-After", Long.toString(Math.max(1, limits.retryAfter().toSeconds())));
                }
                write(response, reply, closeConnection);
            } catch (IOException | RuntimeException e) {
                LOG.debug("webhook {}/{}: the answer could not be written: {}", connectorId, instanceId, e.toString());
            } finally {
                complete();
            }
        }

        private synchronized boolean isAnswered() {
            return answered;
        }

        private synchronized void finish() {
            if (!answered) {
                answered = true;
                complete();
            }
        }

        private void complete() {
            try {
                async.complete();
            } catch (IllegalStateException alreadyDone) {
                // the container finished the request itself (the connection broke)
            }
        }
    }

    private void tooLarge(HttpServletResponse response, long limit) throws IOException {
        write(response, tooLargeReply(limit), true);
    }

    private void unavailable(HttpServletResponse response, String why) throws IOException {
        response.setHeader("Retry-After", Long.toString(Math.max(1, limits.retryAfter().toSeconds())));
        write(response, unavailableReply(why), false);
    }

    private static WebhookReply tooLargeReply(long limit) {
        return plain(413, "body larger than " + limit + " bytes");
    }

    private static WebhookReply unavailableReply(String why) {
        return plain(503, why);
    }

    private static WebhookReply plain(int status, String text) {
        return new WebhookReply(status, "text/plain;charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code reply}. With {@code closeConnection} the connection is closed after it, so what
     * is left of an oversized body is never read.
     */
    private static void write(HttpServletResponse response, WebhookReply reply, boolean closeConnection) throws IOException {
        response.setStatus(reply.status());
        if (closeConnection) {
            response.setHeader("Connection", "close");
        }
        response.setContentType(reply.contentType());
        response.setContentLength(reply.body().length);
        response.getOutputStream().write(reply.body());
        response.flushBuffer();
    }

    /** {@code [connector, instance]} from the path info {@code /<connector>/<instance>}, or null. */
    static String[] pathOf(String info) {
        if (info == null) {
            return null;
        }
        // By hand rather than a regular expression: this runs for every webhook.
        int start = 0;
        int end = info.length();
        while (start < end && info.charAt(start) == '/') {
            start++;
        }
        while (end > start && info.charAt(end - 1) == '/') {
            end--;
        }
        int slash = info.indexOf('/', start);
        int another = slash < 0 ? -1 : info.indexOf('/', slash + 1);
        if (slash < 0 || slash >= end || (another >= 0 && another < end)) {
            return null;
        }
        String[] parts = {info.substring(start, slash), info.substring(slash + 1, end)};
        if (parts[0].isBlank() || parts[1].isBlank()) {
            return null;
        }
        return parts;
    }

    static Map<String, List<String>> parseQuery(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException malformed) {
                // A broken %-escape: the parameter is left out, and a signature over it will not match.
            }
        }
        return params;
    }

    private static Map<String, List<String>> headersOf(HttpServletRequest http) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(http.getHeaderNames())) {
            headers.put(name, Collections.list(http.getHeaders(name)));
        }
        return headers;
    }
}
