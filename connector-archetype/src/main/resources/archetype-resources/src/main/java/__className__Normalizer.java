package ${package};

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.source.RawRecord;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Turns a ${channelName} event (pushed or polled, the same JSON) into a canonical customer event.
 * The event id is made from the account and ${channelName}'s own event id only, so the same event,
 * pushed twice or read again after a crash, gets the same id and changes nothing the second time.
 */
final class ${className}Normalizer implements Normalizer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String connectorId;
    private final String instanceId;
    private final String accountId;

    ${className}Normalizer(String connectorId, String instanceId, String accountId) {
        this.connectorId = connectorId;
        this.instanceId = instanceId;
        this.accountId = accountId;
    }

    @Override
    public List<CustomerEvent> normalize(RawRecord record) {
        JsonNode event;
        try {
            event = JSON.readTree(record.payload());
        } catch (IOException e) {
            throw new BadInputException("${channelName} record " + record.key() + " is not JSON");
        }
        String type = switch (event.path("type").asText("")) {
            case "member.created", "member.updated" -> EventTypes.PROFILE_UPDATED;
            case "message.created" -> EventTypes.MESSAGE_RECEIVED;
            // Events the CRM has no use for normalize to nothing (they are not errors).
            default -> null;
        };
        if (type == null) {
            return List.of();
        }
        JsonNode member = event.path("member");
        String memberId = member.path("id").asText("");
        if (memberId.isBlank()) {
            throw new BadInputException("${channelName} event " + record.key() + " names no member");
        }
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(event.path("occurred_at").asText(""));
        } catch (DateTimeParseException e) {
            throw new BadInputException("${channelName} event " + record.key() + " has no valid occurred_at");
        }
        CustomerEvent.Builder builder = CustomerEvent.builder(
                        connectorId + ":" + accountId + ":" + event.path("event_id").asText(), type)
                .source(connectorId, instanceId)
                .time(time)
                .receivedAt(record.receivedAt())
                .identity(Identity.of(IdentityTypes.MEMBER_CARD, memberId));
        if (member.hasNonNull("phone")) {
            builder.identity(Identity.phone(member.path("phone").asText()));
        }
        if (member.hasNonNull("name")) {
            builder.attribute("name", member.path("name").asText());
        }
        if (EventTypes.MESSAGE_RECEIVED.equals(type)) {
            builder.message(new Message("text", event.path("text").asText("")));
        }
        return List.of(builder.build());
    }
}
