package io.omnihub.connector.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A canonical customer event: the CloudEvents 1.0 context attributes plus {@link CustomerEventData}.
 * The hub writes it in the CloudEvents JSON format with {@code datacontenttype}
 * {@code application/json} and {@code dataschema} {@value #DATA_SCHEMA}.
 *
 * @param id     deterministic from the channel's own ids, e.g. {@code wechat:<appid>:<MsgId>}, so a
 *               redelivered record yields the same id and has no effect
 * @param source {@code /connectors/<connector>/<instance>}
 * @param type   one of {@link EventTypes}
 * @param time   when it happened at the channel, with its zone
 * @param data   the event's data
 */
public record CustomerEvent(String id, String source, String type, OffsetDateTime time, CustomerEventData data) {

    /** The CloudEvents spec version of the envelope. */
    public static final String SPEC_VERSION = "1.0";
    /** The {@code dataschema} attribute of every canonical event. */
    public static final String DATA_SCHEMA = "https://omnihub.io/schemas/customer-event/1.0";
    /** Classpath location of the JSON Schema for {@link CustomerEventData}. */
    public static final String SCHEMA_RESOURCE = "/io/omnihub/connector/event/customer-event.schema.json";
    /** The zone channels in mainland China report local times in. */
    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    public CustomerEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** The {@code source} attribute for an instance. */
    public static String sourceOf(String connectorId, String instanceId) {
        return "/connectors/" + connectorId + "/" + instanceId;
    }

    /** Starts an event of {@code type} with deterministic {@code id}. */
    public static Builder builder(String id, String type) {
        return new Builder(id, type);
    }

    /** Builds a {@link CustomerEvent}; {@code source}, {@code time} and {@code receivedAt} are required. */
    public static final class Builder {
        private final String id;
        private final String type;
        private String source;
        private OffsetDateTime time;
        private OffsetDateTime receivedAt;
        private final List<Identity> identities = new ArrayList<>();
        private Consent consent;
        private final Map<String, Object> attributes = new LinkedHashMap<>();
        private Order order;
        private Message message;
        private Coupon coupon;
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder(String id, String type) {
            this.id = id;
            this.type = type;
        }

        public Builder source(String connectorId, String instanceId) {
            this.source = sourceOf(connectorId, instanceId);
            return this;
        }

        public Builder time(OffsetDateTime time) {
            this.time = time;
            return this;
        }

        /** The channel's time as an instant, shown in Asia/Shanghai. */
        public Builder time(Instant time) {
            return time(time.atZone(CHINA).toOffsetDateTime());
        }

        public Builder receivedAt(Instant receivedAt) {
            this.receivedAt = receivedAt.atZone(CHINA).toOffsetDateTime();
            return this;
        }

        public Builder identity(Identity identity) {
            this.identities.add(identity);
            return this;
        }

        public Builder consent(Consent consent) {
            this.consent = consent;
            return this;
        }

        public Builder attribute(String name, Object value) {
            if (value != null) {
                this.attributes.put(name, value);
            }
            return this;
        }

        public Builder order(Order order) {
            this.order = order;
            return this;
        }

        public Builder message(Message message) {
            this.message = message;
            return this;
        }

        /** The coupon of a {@code coupon.*} event, or the one an order redeemed. */
        public Builder coupon(Coupon coupon) {
            this.coupon = coupon;
            return this;
        }

        public Builder extra(String name, Object value) {
            if (value != null) {
                this.extra.put(name, value);
            }
            return this;
        }

        public CustomerEvent build() {
            return new CustomerEvent(id, source, type, time,
                    new CustomerEventData(receivedAt, identities, consent, attributes, order, message, extra, coupon));
        }
    }
}
