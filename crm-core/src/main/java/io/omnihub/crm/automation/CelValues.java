package io.omnihub.crm.automation;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.CustomerEventData;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values as CEL reads them (whole numbers as {@code long}, other numbers as {@code double}, times as
 * timestamps, maps with string keys), and the JSON the engine stores.
 */
final class CelValues {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CelValues.class);

    static final ObjectMapper JSON = JsonMapper.builder().build();

    private CelValues() {
    }

    /**
     * How deep maps and lists are followed for conditions. Deeper values are left out (a condition
     * reading them fails and so counts as false): walking data nested thousands deep would overflow
     * the stack on every redelivery of its event.
     */
    static final int MAX_DEPTH = 32;

    private static final Object TOO_DEEP = new Object();

    /**
     * {@code value} with numbers, times and collections in the types CEL expects; maps and lists
     * nested deeper than {@link #MAX_DEPTH} are left out.
     */
    static Object of(Object value) {
        return of(value, 0, new boolean[1]);
    }

    /** As {@link #of(Object)}; sets {@code truncated[0]} when something nested too deep was left out. */
    static Object of(Object value, int depth, boolean[] truncated) {
        Object out = convert(value, depth, truncated);
        return out == TOO_DEEP ? null : out;
    }

    private static Object convert(Object value, int depth, boolean[] truncated) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double || value instanceof Instant) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
        }
        if (value instanceof BigDecimal d) {
            return d.scale() <= 0 && d.precision() - d.scale() < 19 ? (Object) d.longValueExact() : (Object) d.doubleValue();
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if ((value instanceof Map<?, ?> || value instanceof Iterable<?>) && depth >= MAX_DEPTH) {
            truncated[0] = true;
            return TOO_DEEP;
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                Object converted = convert(v, depth + 1, truncated);
                if (converted != null && converted != TOO_DEEP) {
                    out.put(String.valueOf(k), converted);
                }
            });
            return out;
        }
        if (value instanceof Iterable<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> {
                Object converted = convert(v, depth + 1, truncated);
                if (converted != TOO_DEEP) {
                    out.add(converted);
                }
            });
            return out;
        }
        return value.toString();
    }

    /** The CEL view of an event: id, type, source, connector, instance, time, attributes, order, ... */
    static Map<String, Object> event(CustomerEvent event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", event.id());
        out.put("type", event.type());
        out.put("source", event.source());
        String[] parts = event.source().split("/");
        out.put("connector", parts.length >= 3 ? parts[2] : "");
        out.put("instance", parts.length >= 4 ? parts[3] : "");
        out.put("time", event.time().toInstant());
        CustomerEventData d = event.data();
        out.put("receivedAt", d.receivedAt().toInstant());
        List<Object> identities = new ArrayList<>();
        for (Identity i : d.identities()) {
            Map<String, Object> id = new LinkedHashMap<>();
            id.put("type", i.type());
            id.put("value", i.value());
            if (i.namespace() != null) {
                id.put("namespace", i.namespace());
            }
            identities.add(id);
        }
        out.put("identities", identities);
        boolean[] truncated = new boolean[1];
        out.put("attributes", of(d.attributes(), 0, truncated));
        out.put("extra", of(d.extra(), 0, truncated));
        if (truncated[0]) {
            LOG.warn("event {}: attributes or extra nested deeper than {} levels are left out of what conditions see; "
                    + "conditions reading them count as false", event.id(), MAX_DEPTH);
        }
        if (d.consent() != null) {
            Map<String, Object> consent = new LinkedHashMap<>();
            if (d.consent().marketing() != null) {
                consent.put("marketing", d.consent().marketing());
            }
            if (d.consent().crossChannelLinking() != null) {
                consent.put("crossChannelLinking", d.consent().crossChannelLinking());
            }
            out.put("consent", consent);
        } else {
            out.put("consent", Map.of());
        }
        if (d.order() != null) {
            Order o = d.order();
            Map<String, Object> order = new LinkedHashMap<>();
            order.put("id", o.id());
            if (o.status() != null) {
                order.put("status", o.status());
            }
            order.put("currency", o.currency());
            order.put("totalMinor", o.totalMinor());
            List<Object> lines = new ArrayList<>();
            for (Order.OrderLine l : o.lines()) {
                Map<String, Object> line = new LinkedHashMap<>();
                if (l.sku() != null) {
                    line.put("sku", l.sku());
                }
                if (l.name() != null) {
                    line.put("name", l.name());
                }
                if (l.category() != null) {
                    line.put("category", l.category());
                }
                line.put("quantity", l.quantity());
                line.put("unitPriceMinor", l.unitPriceMinor());
                lines.add(line);
            }
            order.put("lines", lines);
            out.put("order", order);
        }
        if (d.message() != null) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("kind", d.message().kind());
            if (d.message().text() != null) {
                message.put("text", d.message().text());
            }
            out.put("message", message);
        }
        return out;
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> readMap(String json) {
        if (json == null || json.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JacksonException e) {
            throw new IllegalStateException("bad JSON in database: " + e.getOriginalMessage(), e);
        }
    }

    static CustomerEvent readEvent(String json) {
        try {
            return JSON.readValue(json, CustomerEvent.class);
        } catch (JacksonException e) {
            throw new IllegalStateException("bad stored event: " + e.getOriginalMessage(), e);
        }
    }

    /** Removes NUL characters, which PostgreSQL text cannot hold. */
    static String clean(String s) {
        return s == null ? null : s.replace("\0", "");
    }
}
