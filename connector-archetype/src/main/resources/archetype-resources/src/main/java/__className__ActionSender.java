package ${package};

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.IdentityTypes;
import java.util.Map;
import java.util.Set;

/**
 * Sends messages to ${channelName} members: kind {@value MESSAGE}, recipient a {@code member_card}
 * identity, payload {@code text}. The action id travels as the {@code Idempotency-Key}, so a message
 * the hub sends again after a crash reaches the member once.
 */
final class ${className}ActionSender implements ActionSender {

    /** The one action kind this sender performs. */
    static final String MESSAGE = "${connectorId}.message";

    private final ${className}ApiClient api;

    ${className}ActionSender(${className}ApiClient api) {
        this.api = api;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(MESSAGE);
    }

    @Override
    public ActionResult send(OutboundAction action) {
        if (!MESSAGE.equals(action.kind())) {
            throw new BadInputException("${channelName} cannot perform '" + action.kind() + "'");
        }
        if (action.recipient() == null || !IdentityTypes.MEMBER_CARD.equals(action.recipient().type())) {
            throw new BadInputException("a ${channelName} message goes to a member_card identity");
        }
        Object text = action.payload().get("text");
        if (!(text instanceof String body) || body.isBlank()) {
            throw new BadInputException("a ${channelName} message needs a non-blank 'text'");
        }
        JsonNode answer = api.sendMessage(action.id(), Map.of("member_id", action.recipient().value(), "text", body));
        return new ActionResult(answer.path("message_id").asText(null), "${channelName} accepted the message");
    }
}
