package io.omnihub.connector.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.CustomerEventData;
import io.omnihub.connector.event.EventTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The canonical event rules (DESIGN §3), the one implementation of them: the hub's normalize stage
 * refuses (dead-letters) an event that breaks them, and the acceptance kit's
 * {@code normalized-valid} rule fails a connector whose events break them.
 *
 * <p>The rules, checked on the event as {@link CanonicalEventJson} writes it:
 * <ul>
 *   <li>{@code id} is not blank and at most {@value #MAX_ID_LENGTH} characters;</li>
 *   <li>{@code source} matches {@value #SOURCE_PATTERN}, i.e.
 *       {@code /connectors/<connector>/<instance>}, and, when the producing instance is known,
 *       is exactly {@link CustomerEvent#sourceOf that instance's};</li>
 *   <li>{@code type} matches {@value #TYPE_PATTERN}: every {@link EventTypes} constant does, and
 *       so does a custom type such as {@code loyalty.points_earned};</li>
 *   <li>{@code time} is present (with its offset: {@link CustomerEvent} guarantees both);</li>
 *   <li>{@code data} validates against the SDK's schema at {@value CustomerEvent#SCHEMA_RESOURCE}
 *       (JSON Schema draft 2020-12, formats asserted): at least one identity, phones in E.164,
 *       a {@code namespace} for the identity types that need one, amounts as integers in minor
 *       units, ISO currencies, no unknown properties, channel names in
 *       {@code consent.marketingChannels} as {@link io.omnihub.connector.event.Channels} describes,
 *       a currency with every coupon value, ...</li>
 *   <li>what a type promises, its data holds: a {@code coupon.issued} or {@code coupon.redeemed}
 *       event carries a {@code coupon}; a {@code consent.changed} event carries a {@code consent}
 *       stating at least one purpose (an unsubscribe that states nothing would change nothing).</li>
 * </ul>
 *
 * <p>Violations are returned rather than thrown, so that each caller decides: the kit fails a
 * test, the hub dead-letters the record. Each is one English sentence that starts with the JSON
 * path of the offending value within the CloudEvents JSON document, whatever the JVM's locale:
 * <pre>
 * $.source: is '/connectors/doudian/flagship', expected '/connectors/doudian/outlet'
 * $.type: must be one of EventTypes or a custom type matching ^[a-z]+(\.[a-z_]+)+$, was 'OrderPaid'
 * $.data: required property 'identities' not found
 * $.data.identities[0]: required property 'namespace' not found
 * </pre>
 * A violation quotes the {@code source} and {@code type} it refuses, never identity values or
 * other personal data. The list is empty when the event is valid.
 *
 * <p>The schema is compiled once, in {@link #create()}. Instances are immutable and thread-safe:
 * create one and reuse it.
 */
public final class CanonicalEventValidator {

    /** The longest {@code id} allowed. */
    public static final int MAX_ID_LENGTH = 512;

    /**
     * What {@code source} must look like: {@code /connectors/<connector>/<instance>}, with the
     * connector id as the SDK requires it and an instance id of letters, digits, {@code _},
     * {@code .} and {@code -}.
     */
    public static final String SOURCE_PATTERN = "^/connectors/[a-z][a-z0-9-]{1,31}/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    /**
     * What {@code type} must look like: lower-case dotted names such as {@code order.paid}
     * ({@link EventTypes}) or a custom {@code loyalty.points_earned}.
     */
    public static final String TYPE_PATTERN = "^[a-z]+(\\.[a-z_]+)+$";

    /** Levels of objects and arrays an event's {@code data} may nest: the envelope around it takes one. */
    static final int MAX_DATA_NESTING = CanonicalEventJson.MAX_NESTING_DEPTH - 1;
    private static final Pattern SOURCE = Pattern.compile(SOURCE_PATTERN);
    private static final Pattern TYPE = Pattern.compile(TYPE_PATTERN);

    private final JsonSchema dataSchema;

    private CanonicalEventValidator(JsonSchema dataSchema) {
        this.dataSchema = dataSchema;
    }

    /**
     * A validator using the schema shipped in connector-api, compiled now.
     *
     * @throws IllegalStateException when connector-api on the class path has no schema
     */
    public static CanonicalEventValidator create() {
        try (InputStream in = CustomerEvent.class.getResourceAsStream(CustomerEvent.SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("connector-api is missing " + CustomerEvent.SCHEMA_RESOURCE);
            }
            return new CanonicalEventValidator(JsonSchemas.compile(CanonicalEventJson.mapper().readTree(in)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CustomerEvent.SCHEMA_RESOURCE, e);
        }
    }

    /**
     * Validates an event produced by a known instance: its {@code source} must be that instance's.
     *
     * @param connectorId the producing connector's id
     * @param instanceId  the producing instance's id
     * @return the violations; empty when the event is valid
     */
    public List<String> validate(CustomerEvent event, String connectorId, String instanceId) {
        return check(event, CustomerEvent.sourceOf(connectorId, instanceId), null);
    }

    /**
     * Validates an event whose producer is not known (read from a queue, posted to the API): its
     * {@code source} must merely have the canonical shape.
     *
     * @return the violations; empty when the event is valid
     */
    public List<String> validate(CustomerEvent event) {
        return check(event, null, null);
    }

    /**
     * Validates an event whose {@code data} the caller has already as JSON, so it is not written
     * twice: the tree it is about to send ({@link CanonicalEventJson#dataTree}) or the one it
     * received. The tree is what is checked against the schema; {@code event.data()} is not looked at.
     *
     * @param data the event's {@code data} as JSON
     * @return the violations; empty when the event is valid
     */
    public List<String> validate(CustomerEvent event, JsonNode data) {
        return check(event, null, data);
    }

    /**
     * Validates an event's {@code data} alone against the schema, e.g. a sample file.
     *
     * @param data a JSON object that should be a {@link CustomerEventData}
     * @return schema violations with paths relative to {@code data} itself, e.g.
     *     {@code $.identities: must have at least 1 items but found 0}; empty when valid
     */
    public List<String> validateData(JsonNode data) {
        return JsonSchemas.describe(dataSchema.validate(data));
    }

    private List<String> check(CustomerEvent event, String expectedSource, JsonNode data) {
        if (event == null) {
            return List.of("$: the event is null");
        }
        List<String> violations = new ArrayList<>(0);
        if (event.id().isBlank()) {
            violations.add("$.id: must not be blank");
        } else if (event.id().length() > MAX_ID_LENGTH) {
            violations.add("$.id: must be at most " + MAX_ID_LENGTH + " characters, has " + event.id().length());
        }
        if (expectedSource != null && !expectedSource.equals(event.source())) {
            violations.add("$.source: is '" + quote(event.source()) + "', expected '" + expectedSource + "'");
        } else if (!SOURCE.matcher(event.source()).matches()) {
            violations.add("$.source: must be /connectors/<connector>/<instance> (matching " + SOURCE_PATTERN
                    + "), was '" + quote(event.source()) + "'");
        }
        if (!TYPE.matcher(event.type()).matches()) {
            violations.add("$.type: must be one of EventTypes or a custom type matching " + TYPE_PATTERN
                    + ", was '" + quote(event.type()) + "'");
        }
        checkYear("$.time", event.time(), violations);
        if (event.data() != null) {
            checkYear("$.data.receivedAt", event.data().receivedAt(), violations);
            if (event.data().order() != null && event.data().order().id() != null
                    && event.data().order().id().length() > MAX_ID_LENGTH) {
                // The CRM keys orders by it: a longer one would not fit the database's index.
                violations.add("$.data.order.id: must be at most " + MAX_ID_LENGTH + " characters, has "
                        + event.data().order().id().length());
            }
        }
        JsonNode tree = data;
        if (tree == null) {
            try {
                tree = CanonicalEventJson.dataTree(event.data());
            } catch (IllegalArgumentException e) {
                violations.add("$.data: cannot be written as JSON: " + e.getMessage());
                return violations;
            }
        }
        for (String message : validateData(tree)) {
            // networknt names the place from the data's root ("$.identities[0]"); in the event it is "$.data...".
            violations.add(message.startsWith("$") ? "$.data" + message.substring(1) : "$.data: " + message);
        }
        if (nestsDeeperThan(tree, MAX_DATA_NESTING)) {
            // Written, it would be refused by every reader of the event further on; refused here, the
            // record is parked where it came in, with this reason.
            violations.add("$.data: nests more than " + MAX_DATA_NESTING + " levels of objects and arrays (the envelope takes one of the "
                    + CanonicalEventJson.MAX_NESTING_DEPTH + " levels an event may have)");
        }
        typeRequirements(event.type(), tree, violations);
        return violations;
    }

    /** Whether {@code node} nests more than {@code levels} objects and arrays; looks no deeper than that. */
    static boolean nestsDeeperThan(JsonNode node, int levels) {
        if (!node.isContainerNode()) {
            return false;
        }
        if (levels == 0) {
            return true;
        }
        for (JsonNode child : node) {
            if (nestsDeeperThan(child, levels - 1)) {
                return true;
            }
        }
        return false;
    }

    /** The parts of {@code data} an event type promises: a coupon for {@code coupon.*}, a consent for {@code consent.changed}. */
    private static void typeRequirements(String type, JsonNode data, List<String> violations) {
        if (EventTypes.COUPON_ISSUED.equals(type) || EventTypes.COUPON_REDEEMED.equals(type)) {
            if (!data.path("coupon").isObject()) {
                violations.add("$.data: a " + type + " event must carry a 'coupon'");
            }
        } else if (EventTypes.CONSENT_CHANGED.equals(type)) {
            JsonNode consent = data.path("consent");
            boolean states = consent.path("crossChannelLinking").isBoolean() || consent.path("marketing").isBoolean()
                    || consent.path("analytics").isBoolean() || consent.path("marketingChannels").size() > 0;
            if (!states) {
                violations.add("$.data: a " + type + " event must carry a 'consent' that states at least one purpose");
            }
        }
    }

    /** RFC 3339 times have four-digit years; a time beyond them cannot be written as one. */
    private static void checkYear(String path, OffsetDateTime time, List<String> violations) {
        if (time != null && (time.getYear() < 1 || time.getYear() > 9999)) {
            violations.add(path + ": must lie between the years 1 and 9999 (RFC 3339), is in " + time.getYear());
        }
    }

    /** A value for a message, cut short: an event posted to the API may carry anything. */
    private static String quote(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "...";
    }
}
