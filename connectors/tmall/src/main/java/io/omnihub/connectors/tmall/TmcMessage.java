package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.CustomerEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A TMC message as read: the envelope, its id and topic, its parsed content, when TMC published it
 * (null when unstated) and {@code what} it is called in error messages.
 */
record TmcMessage(JsonNode envelope, String id, String topic, JsonNode content, Instant published, String what) {

    /** A TMC message's content: a JSON string holding an object (an object is accepted too). */
    static JsonNode content(JsonNode envelope, String what) {
        JsonNode content = envelope.path("content");
        if (content.isObject()) {
            return content;
        }
        if (!content.isTextual()) {
            throw new BadInputException(what + " has no content");
        }
        return TopJson.object(content.textValue().getBytes(StandardCharsets.UTF_8), what + " content");
    }

    /** What every event from a TMC message carries: where it came from and the ids the content names. */
    CustomerEvent.Builder extras(CustomerEvent.Builder event) {
        return event.extra("via", "tmc")
                .extra("tmcMessageId", id)
                .extra("tmcTopic", topic)
                .extra("tid", TopJson.text(content, "tid"))
                .extra("oid", TopJson.text(content, "oid"))
                .extra("buyerNick", TopJson.text(content, "buyer_nick"));
    }
}
