package io.omnihub.routes.stage;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.Headers;
import io.omnihub.routes.event.CanonicalEventCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How canonical events travel on {@code hub.events} and {@code hub.enrich}: CloudEvents JSON bodies,
 * grouped by the customer's strongest identity so one customer's events apply in order.
 */
public final class EventMessages {

    private final CanonicalEventCodec codec;
    private final IdentityPolicy policy;

    public EventMessages(CanonicalEventCodec codec, IdentityPolicy policy) {
        this.codec = codec;
        this.policy = policy;
    }

    /**
     * {@code event} validated and bound for {@code hub.events}.
     *
     * @throws io.omnihub.routes.event.InvalidEventException when the event breaks the schema
     */
    public BrokerMessage toEvents(String connectorId, String instanceId, CustomerEvent event) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(Headers.CONNECTOR, connectorId);
        properties.put(Headers.INSTANCE, instanceId);
        properties.put(Headers.EVENT_ID, event.id());
        properties.put(Headers.EVENT_TYPE, event.type());
        groupOf(event).ifPresent(group -> properties.put(Headers.GROUP_ID, group));
        return BrokerMessage.to(Queues.EVENTS, codec.encode(event), properties);
    }

    /** An event from one of the pipeline's own queues (validated when it was queued). */
    public CustomerEvent decode(BrokerMessage message) {
        return codec.decodeTrusted(message.body());
    }

    /**
     * The message group: a digest of the strongest identity, so the broker never shows the
     * identity itself.
     */
    Optional<String> groupOf(CustomerEvent event) {
        return policy.strongest(event.data().identities()).map(EventMessages::digest);
    }

    private static String digest(Identity identity) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String key = identity.type() + "|" + (identity.namespace() == null ? "" : identity.namespace()) + "|" + identity.value();
            return HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
