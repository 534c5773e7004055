package io.omnihub.routes.ingress;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.InstanceUnavailableException;
import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.BrokerUnavailableException;
import io.omnihub.routes.broker.DeadLetters;
import io.omnihub.routes.broker.Headers;
import io.omnihub.routes.broker.RawJournal;
import io.omnihub.routes.broker.RawRecords;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code webhook-ingress} route's work: hands a {@link WebhookCall} (read by
 * {@link WebhookServlet}) to the instance's webhook handler, persists the records it returns on
 * {@code hub.raw} and only then replies to the channel. No thread waits while the broker writes its
 * journal: the reply is sent when the asynchronous durable send is confirmed, and the answer is a
 * {@link WebhookReply} left as the exchange's message body.
 *
 * <p>Answers: 401 for a bad signature (nothing kept), 400 for bad input (kept on {@code hub.dlq};
 * 503 instead when it could not be kept), 404 for an unknown instance, 503 for a configured instance
 * that is not open (starting, FAILED and restarting, stopped), for a handler that failed because its
 * instance closed under it, and when the broker could not persist the records (the channel will
 * retry).
 */
public final class WebhookIngress extends AsyncProcessorSupport {

    public static final String STAGE = WebhookOutcomes.STAGE;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIngress.class);

    private final ConnectorRegistry registry;
    private final RawJournal journal;
    private final DeadLetters deadLetters;
    private final Executor replyExecutor;
    private final WebhookOutcomes outcomes;

    /**
     * @param replyExecutor where replies are written once the broker confirmed; keeps the broker's
     *                      callback threads free
     */
    public WebhookIngress(ConnectorRegistry registry, RawJournal journal, Clock clock, Executor replyExecutor,
                          WebhookOutcomes outcomes) {
        this.registry = registry;
        this.journal = journal;
        this.deadLetters = new DeadLetters(clock);
        this.replyExecutor = replyExecutor;
        this.outcomes = outcomes;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        WebhookCall call = exchange.getIn().getBody(WebhookCall.class);
        String connectorId = call.connectorId();
        String instanceId = call.instanceId();
        ConnectorInstance instance = registry.receiving(connectorId, instanceId).orElse(null);
        WebhookHandler handler = null;
        try {
            handler = instance == null ? null : instance.webhook().orElse(null);
        } catch (InstanceUnavailableException e) {
            instance = null; // closed since it was looked up
        }
        if (handler == null) {
            if (instance == null && registry.configured(connectorId, instanceId)) {
                outcomes.count(connectorId, instanceId, "unavailable");
                return reply(exchange, callback, 503, "webhook instance " + connectorId + "/" + instanceId
                        + " is not running now; retry later");
            }
            return reply(exchange, callback, 404, "no running webhook instance " + connectorId + "/" + instanceId);
        }
        WebhookRequest request = call.request();
        WebhookResult result;
        try {
            result = handler.handle(request);
        } catch (BadSignatureException e) {
            outcomes.count(connectorId, instanceId, "bad_signature");
            LOG.warn("webhook {}/{} refused: {}", connectorId, instanceId, e.getMessage());
            return reply(exchange, callback, 401, "signature verification failed");
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: a class the handler needs could not be loaded, as when its plugin is unloaded.
            if (closedDuring(connectorId, instanceId, instance)) {
                outcomes.count(connectorId, instanceId, "unavailable");
                LOG.warn("webhook {}/{}: the instance closed while it handled a request, answered 503: {}", connectorId,
                        instanceId, e.toString());
                return reply(exchange, callback, 503, "webhook instance " + connectorId + "/" + instanceId
                        + " closed while handling this request; retry later");
            }
            if (e instanceof BadInputException) {
                outcomes.count(connectorId, instanceId, "bad_input");
                LOG.warn("webhook {}/{} rejected as bad input, kept on {}: {}", connectorId, instanceId, Queues.DLQ,
                        e.getMessage());
                return park(exchange, callback, call, e, 400, "rejected: " + e.getMessage());
            }
            outcomes.count(connectorId, instanceId, "error");
            LOG.error("webhook handler {}/{} failed", connectorId, instanceId, e);
            return park(exchange, callback, call, e, 500,
                    "the hub could not handle this request; it was kept for an operator");
        }
        List<BrokerMessage> records = new ArrayList<>(result.records().size());
        result.records().forEach(r -> records.add(RawRecords.toMessage(connectorId, instanceId, r)));
        if (records.isEmpty()) {
            outcomes.count(connectorId, instanceId, "handshake");
            return reply(exchange, callback, result.reply());
        }
        journal.appendAll(records).whenCompleteAsync((ok, failure) -> {
            if (failure == null) {
                outcomes.count(connectorId, instanceId, "accepted");
                exchange.getMessage().setBody(result.reply());
            } else {
                outcomes.count(connectorId, instanceId, "broker_unavailable");
                logPersistFailure(connectorId, instanceId, "records could not be persisted", failure);
                exchange.getMessage().setBody(plain(503, "the hub could not persist the request; retry later"));
            }
            callback.done(false);
        }, replyExecutor);
        return false;
    }

    /**
     * Keeps authenticated bad input on the dead-letter queue and answers {@code status}; when the
     * broker cannot keep it either, answers 503 so the channel sends it again rather than losing it.
     */
    private boolean park(Exchange exchange, AsyncCallback callback, WebhookCall call, Throwable error,
                         int status, String text) {
        WebhookRequest request = call.request();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(Headers.CONNECTOR, call.connectorId());
        properties.put(Headers.INSTANCE, call.instanceId());
        properties.put(Headers.CONTENT_TYPE, request.header("Content-Type").orElse("application/octet-stream"));
        properties.put(Headers.RECEIVED_AT, request.receivedAt().toEpochMilli());
        properties.put("hub_http_method", request.method());
        if (call.rawQuery() != null) {
            properties.put("hub_http_query", call.rawQuery());
        }
        BrokerMessage parked = deadLetters.park(BrokerMessage.to(Queues.RAW, request.body(), properties), STAGE, error);
        journal.append(parked).whenCompleteAsync((ok, failure) -> {
            if (failure == null) {
                exchange.getMessage().setBody(plain(status, text));
            } else {
                logPersistFailure(call.connectorId(), call.instanceId(), "bad input could not be parked", failure);
                exchange.getMessage().setBody(plain(503, "the hub could not keep this request for an operator; retry later"));
            }
            callback.done(false);
        }, replyExecutor);
        return false;
    }

    /**
     * Whether {@code instance} was closed (stopped, reconfigured, its plugin unloaded) while it
     * handled a request. Its failure then says nothing about the input: the channel is told to send
     * again rather than having a good request parked as bad.
     */
    private boolean closedDuring(String connectorId, String instanceId, ConnectorInstance instance) {
        return registry.receiving(connectorId, instanceId).orElse(null) != instance;
    }

    /** One line while the broker is away (it says why), a stack trace for anything else. */
    private static void logPersistFailure(String connectorId, String instanceId, String what, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof BrokerUnavailableException) {
            LOG.warn("webhook {}/{}: {}: {}", connectorId, instanceId, what, cause.getMessage());
        } else {
            LOG.error("webhook {}/{}: {}", connectorId, instanceId, what, cause);
        }
    }

    private static boolean reply(Exchange exchange, AsyncCallback callback, int status, String text) {
        return reply(exchange, callback, plain(status, text));
    }

    private static boolean reply(Exchange exchange, AsyncCallback callback, WebhookReply reply) {
        exchange.getMessage().setBody(reply);
        callback.done(true);
        return true;
    }

    private static WebhookReply plain(int status, String text) {
        return new WebhookReply(status, "text/plain;charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }
}
