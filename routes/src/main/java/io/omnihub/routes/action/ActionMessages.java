package io.omnihub.routes.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.Identity;
import io.omnihub.crm.automation.PlannedAction;
import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.Headers;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How actions travel on {@code hub.actions}: a JSON body (id, customer, kind, connector, instance,
 * recipient, payload) and the connector, instance and action id as properties, so an operator can
 * select one instance's actions in the broker.
 */
public final class ActionMessages {

    /** The action's id (its idempotency key). */
    public static final String ACTION_ID = "hub_action_id";
    /** The action's kind, e.g. {@code wechat.template}. */
    public static final String ACTION_KIND = "hub_action_kind";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An action read from {@code hub.actions}.
     *
     * @param connector  the connector (or {@code webhook})
     * @param instance   the instance (or webhook target)
     * @param customerId who it is for
     * @param action     what the sender gets
     */
    public record Dispatch(String connector, String instance, String customerId, OutboundAction action) {
    }

    public BrokerMessage toActions(PlannedAction planned) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", planned.id());
        body.put("customerId", planned.customerId());
        body.put("kind", planned.kind());
        body.put("connector", planned.connector());
        body.put("instance", planned.instance());
        if (planned.recipient() != null) {
            ObjectNode r = body.putObject("recipient");
            r.put("type", planned.recipient().type());
            r.put("value", planned.recipient().value());
            if (planned.recipient().namespace() != null) {
                r.put("namespace", planned.recipient().namespace());
            }
        }
        body.set("payload", JSON.valueToTree(planned.payload()));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(Headers.CONNECTOR, planned.connector());
        properties.put(Headers.INSTANCE, planned.instance());
        properties.put(ACTION_ID, planned.id());
        properties.put(ACTION_KIND, planned.kind());
        try {
            return BrokerMessage.to(Queues.ACTIONS, JSON.writeValueAsBytes(body), properties);
        } catch (IOException e) {
            throw new IllegalArgumentException("action " + planned.id() + " cannot be written: " + e.getMessage(), e);
        }
    }

    /**
     * @throws BadInputException when the message is not an action this hub wrote
     */
    @SuppressWarnings("unchecked")
    public Dispatch decode(BrokerMessage message) {
        JsonNode body;
        try {
            body = JSON.readTree(message.body());
        } catch (IOException e) {
            throw new BadInputException("not an action: the body is not JSON");
        }
        if (body == null || !body.path("id").isTextual() || !body.path("kind").isTextual()
                || !body.path("connector").isTextual() || !body.path("instance").isTextual()) {
            throw new BadInputException("not an action: id, kind, connector and instance are required");
        }
        Identity recipient = null;
        JsonNode r = body.path("recipient");
        if (r.isObject()) {
            recipient = new Identity(r.path("type").asText(), r.path("value").asText(),
                    r.hasNonNull("namespace") ? r.path("namespace").asText() : null);
        }
        Map<String, Object> payload = body.path("payload").isObject()
                ? JSON.convertValue(body.path("payload"), Map.class) : Map.of();
        return new Dispatch(body.path("connector").asText(), body.path("instance").asText(), body.path("customerId").asText(null),
                new OutboundAction(body.path("id").asText(), body.path("kind").asText(), recipient, payload));
    }
}
