package io.omnihub.connectors.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.Channels;
import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.source.RawRecord;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * An unsubscribe becomes {@code consent.changed}: identity {@code email} (lower case), consent
 * {@code {marketingChannels: {email: false}}}, {@code extra} {@code channel} {@code email},
 * {@code messageId} (the Message-ID of the mail whose link was used) and {@code via}
 * {@code one-click}. Id {@code email:<from-address>:unsubscribe:<message reference>}: using the same
 * mail's link twice has one effect; a later mail's link is a new statement.
 */
final class EmailNormalizer implements Normalizer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String connectorId;
    private final String instanceId;
    private final EmailConfig config;

    EmailNormalizer(String connectorId, String instanceId, EmailConfig config) {
        this.connectorId = connectorId;
        this.instanceId = instanceId;
        this.config = config;
    }

    @Override
    public List<CustomerEvent> normalize(RawRecord record) {
        JsonNode unsubscribe;
        try {
            unsubscribe = JSON.readTree(record.payload());
        } catch (IOException e) {
            throw new BadInputException("e-mail record is not JSON");
        }
        String email = unsubscribe == null ? "" : unsubscribe.path("email").asText("").strip().toLowerCase(Locale.ROOT);
        String ref = unsubscribe == null ? "" : unsubscribe.path("messageRef").asText("");
        if (email.isEmpty() || ref.isEmpty()) {
            throw new BadInputException("e-mail unsubscribe record without its address or message");
        }
        return List.of(CustomerEvent.builder("email:" + config.from().getAddress().toLowerCase(Locale.ROOT) + ":unsubscribe:" + ref,
                        EventTypes.CONSENT_CHANGED)
                .source(connectorId, instanceId)
                .time(record.receivedAt())
                .receivedAt(record.receivedAt())
                .identity(Identity.of(IdentityTypes.EMAIL, email))
                .consent(Consent.channelMarketing(Channels.EMAIL, false))
                .extra("channel", Channels.EMAIL)
                .extra("messageId", "<" + ref + "@" + config.domain() + ">")
                .extra("via", unsubscribe.path("via").asText("one-click"))
                .extra("reason", "unsubscribe link")
                .build());
    }
}
