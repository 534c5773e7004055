package io.omnihub.routes.ingress;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.Queues;
import io.omnihub.routes.StageObserver;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.DeadLetters;
import io.omnihub.routes.broker.Headers;
import io.omnihub.routes.broker.RawJournal;
import io.omnihub.routes.broker.RawRecords;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.common.HttpMessage;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles {@code /hooks/<connector>/<instance>}: hands the raw request to the instance's webhook
 * handler, persists the records it returns on {@code hub.raw} and only then replies to the channel.
 * The request thread is not held while the broker writes its journal: the reply is sent when the
 * asynchronous durable send is confirmed.
 *
 * <p>Answers: 401 for a bad signature (nothing kept), 400 for bad input (kept on {@code hub.dlq}),
 * 404 for an unknown or stopped instance, 413 for an oversized body, 503 when the broker could not
 * persist the records (the channel will retry).
 */
public final class WebhookIngress extends AsyncProcessorSupport {

    public static final String STAGE = "ingress";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIngress.class);

    private final ConnectorRegistry registry;
    private final RawJournal journal;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final int maxBodyBytes;
    private final Executor replyExecutor;
    private final MeterRegistry meters;
    private final StageObserver observer;

    /**
     * @param replyExecutor where replies are written once the broker confirmed; keeps the broker's
     *                      callback threads free
     */
    public WebhookIngress(ConnectorRegistry registry, RawJournal journal, Clock clock, int maxBodyBytes,
                          Executor replyExecutor, MeterRegistry meters) {
        this(registry, journal, clock, maxBodyBytes, replyExecutor, meters, StageObserver.NONE);
    }

    public WebhookIngress(ConnectorRegistry registry, RawJournal journal, Clock clock, int maxBodyBytes,
                          Executor replyExecutor, MeterRegistry meters, StageObserver observer) {
        this.observer = observer;
        this.registry = registry;
        this.journal = journal;
        this.deadLetters = new DeadLetters(clock);
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.replyExecutor = replyExecutor;
        this.meters = meters;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        HttpServletRequest http = exchange.getIn(HttpMessage.class).getRequest();
        String[] path = pathOf(http);
        if (path == null) {
            return reply(exchange, callback, 404, "no such webhook; use /hooks/<connector>/<instance>");
        }
        String connectorId = path[0];
        String instanceId = path[1];
        ConnectorInstance instance = registry.receiving(connectorId, instanceId).orElse(null);
        WebhookHandler handler = instance == null ? null : instance.webhook().orElse(null);
        if (handler == null) {
            return reply(exchange, callback, 404, "no running webhook instance " + connectorId + "/" + instanceId);
        }
        byte[] body = exchange.getIn().getBody(byte[].class);
        if (body != null && body.length > maxBodyBytes) {
            count(connectorId, instanceId, "too_large");
            return reply(exchange, callback, 413, "body larger than " + maxBodyBytes + " bytes");
        }
        WebhookRequest request = new WebhookRequest(http.getMethod(), parseQuery(http.getQueryString()),
                headersOf(http), body, clock.instant());
        WebhookResult result;
        try {
            result = handler.handle(request);
        } catch (BadSignatureException e) {
            count(connectorId, instanceId, "bad_signature");
            LOG.warn("webhook {}/{} refused: {}", connectorId, instanceId, e.getMessage());
            return reply(exchange, callback, 401, "signature verification failed");
        } catch (BadInputException e) {
            count(connectorId, instanceId, "bad_input");
            return park(exchange, callback, connectorId, instanceId, request, http, e, 400, "rejected: " + e.getMessage());
        } catch (RuntimeException e) {
            count(connectorId, instanceId, "error");
            LOG.error("webhook handler {}/{} failed", connectorId, instanceId, e);
            return park(exchange, callback, connectorId, instanceId, request, http, e, 500,
                    "the hub could not handle this request; it was kept for an operator");
        }
        List<BrokerMessage> records = new ArrayList<>(result.records().size());
        result.records().forEach(r -> records.add(RawRecords.toMessage(connectorId, instanceId, r)));
        if (records.isEmpty()) {
            count(connectorId, instanceId, "handshake");
            return reply(exchange, callback, result.reply());
        }
        journal.appendAll(records).whenCompleteAsync((ok, failure) -> {
            if (failure == null) {
                count(connectorId, instanceId, "accepted");
                setReply(exchange, result.reply());
            } else {
                count(connectorId, instanceId, "broker_unavailable");
                LOG.error("webhook {}/{}: records could not be persisted", connectorId, instanceId, failure);
                setReply(exchange, new WebhookReply(503, "text/plain;charset=UTF-8",
                        "the hub could not persist the request; retry later".getBytes(StandardCharsets.UTF_8)));
            }
            callback.done(false);
        }, replyExecutor);
        return false;
    }

    private boolean park(Exchange exchange, AsyncCallback callback, String connectorId, String instanceId,
                         WebhookRequest request, HttpServletRequest http, RuntimeException error,
                         int status, String text) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(Headers.CONNECTOR, connectorId);
        properties.put(Headers.INSTANCE, instanceId);
        properties.put(Headers.CONTENT_TYPE, http.getContentType() == null ? "application/octet-stream" : http.getContentType());
        properties.put(Headers.RECEIVED_AT, request.receivedAt().toEpochMilli());
        properties.put("hub_http_method", request.method());
        if (http.getQueryString() != null) {
            properties.put("hub_http_query", http.getQueryString());
        }
        BrokerMessage parked = deadLetters.park(BrokerMessage.to(Queues.RAW, request.body(), properties), STAGE, error);
        journal.append(parked).whenCompleteAsync((ok, failure) -> {
            if (failure != null) {
                LOG.error("webhook {}/{}: could not park bad input", connectorId, instanceId, failure);
            }
            setReply(exchange, new WebhookReply(status, "text/plain;charset=UTF-8", text.getBytes(StandardCharsets.UTF_8)));
            callback.done(false);
        }, replyExecutor);
        return false;
    }

    private boolean reply(Exchange exchange, AsyncCallback callback, int status, String text) {
        return reply(exchange, callback, new WebhookReply(status, "text/plain;charset=UTF-8", text.getBytes(StandardCharsets.UTF_8)));
    }

    private boolean reply(Exchange exchange, AsyncCallback callback, WebhookReply reply) {
        setReply(exchange, reply);
        callback.done(true);
        return true;
    }

    private static void setReply(Exchange exchange, WebhookReply reply) {
        Message out = exchange.getMessage();
        // Request headers must not echo back to the caller.
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
        out.setHeader(Exchange.CONTENT_TYPE, reply.contentType());
        out.setBody(reply.body());
    }

    private void count(String connectorId, String instanceId, String outcome) {
        meters.counter("hub.webhook.requests", "connector", connectorId, "instance", instanceId, "outcome", outcome).increment();
        StageObserver.Outcome observed = switch (outcome) {
            case "accepted", "handshake" -> StageObserver.Outcome.OK;
            case "bad_input", "error" -> StageObserver.Outcome.DEAD_LETTERED;
            default -> StageObserver.Outcome.REFUSED;
        };
        observer.handled(STAGE, connectorId, instanceId, observed, java.time.Duration.ZERO,
                observed == StageObserver.Outcome.OK ? null : "webhook " + outcome.replace('_', ' '));
    }

    /** {@code [connector, instance]} from {@code /<connector>/<instance>}, or null. */
    static String[] pathOf(HttpServletRequest http) {
        String info = http.getPathInfo();
        if (info == null) {
            return null;
        }
        String[] parts = info.replaceAll("^/+|/+$", "").split("/");
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
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
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
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
