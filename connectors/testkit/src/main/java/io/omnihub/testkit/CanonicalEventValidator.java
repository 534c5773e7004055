package io.omnihub.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a {@link CustomerEvent} against the canonical event rules (DESIGN §3), the same rules the
 * hub's normalize stage applies:
 * <ul>
 *   <li>CloudEvents context: {@code id} not blank; {@code source} is
 *       {@code /connectors/<connector>/<instance>} (and, when known, exactly this instance's);
 *       {@code type} is one of {@link EventTypes} or a custom type matching
 *       {@value #CUSTOM_TYPE_PATTERN}; {@code time} present;</li>
 *   <li>{@code data}, written by {@link CanonicalEventJson}, validates against the SDK's schema at
 *       {@value CustomerEvent#SCHEMA_RESOURCE} (draft 2020-12, formats asserted): at least one
 *       identity, phones in E.164, namespaces where the type needs one, amounts as integers, ...</li>
 * </ul>
 *
 * <p>Returns violations instead of throwing, so callers decide: the kit fails a test, the hub
 * dead-letters the record. Each violation names the event id and the JSON path. Instances are
 * immutable and thread-safe; create one and reuse it. Depends on Jackson and networknt only.
 */
public final class CanonicalEventValidator {

    /** What a custom (non-{@link EventTypes}) {@code type} must look like, e.g. {@code loyalty.points_earned}. */
    public static final String CUSTOM_TYPE_PATTERN = "^[a-z]+(\\.[a-z_]+)+$";

    private static final Pattern CUSTOM_TYPE = Pattern.compile(CUSTOM_TYPE_PATTERN);
    private static final Pattern SOURCE = Pattern.compile("^/connectors/[a-z][a-z0-9-]{1,31}/[^/\\s]+$");
    private static final Set<String> CANONICAL_TYPES = canonicalTypes();

    private final JsonSchema dataSchema;

    private CanonicalEventValidator(JsonSchema dataSchema) {
        this.dataSchema = dataSchema;
    }

    /** A validator using the schema shipped in connector-api. */
    public static CanonicalEventValidator create() {
        try (InputStream in = CustomerEvent.class.getResourceAsStream(CustomerEvent.SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("connector-api is missing " + CustomerEvent.SCHEMA_RESOURCE);
            }
            JsonNode schema = CanonicalEventJson.mapper().readTree(in);
            return new CanonicalEventValidator(SchemaSupport.FACTORY.getSchema(schema, SchemaSupport.CONFIG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CustomerEvent.SCHEMA_RESOURCE, e);
        }
    }

    /** The canonical types declared in {@link EventTypes}. */
    public static Set<String> canonicalTypes() {
        Set<String> types = new TreeSet<>();
        for (Field field : EventTypes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    types.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Set.copyOf(types);
    }

    /**
     * Validates an event produced by one instance.
     *
     * @param connectorId the producing connector's id
     * @param instanceId  the producing instance's id
     * @return violations such as {@code event 'echo:1': source is '/connectors/echo', expected
     *     '/connectors/echo/main'}; empty when the event is valid
     */
    public List<String> validate(CustomerEvent event, String connectorId, String instanceId) {
        return validate(event, CustomerEvent.sourceOf(connectorId, instanceId));
    }

    /**
     * Validates an event whose producer is not known (e.g. one posted to {@code /api/v1/events}):
     * the {@code source} must merely have the canonical shape.
     */
    public List<String> validate(CustomerEvent event) {
        return validate(event, null);
    }

    private List<String> validate(CustomerEvent event, String expectedSource) {
        List<String> violations = new ArrayList<>();
        if (event == null) {
            violations.add("event is null");
            return violations;
        }
        String label = "event '" + event.id() + "'";
        if (event.id() == null || event.id().isBlank()) {
            violations.add(label + ": id is blank");
        }
        if (expectedSource != null && !expectedSource.equals(event.source())) {
            violations.add(label + ": source is '" + event.source() + "', expected '" + expectedSource + "'");
        } else if (expectedSource == null && (event.source() == null || !SOURCE.matcher(event.source()).matches())) {
            violations.add(label + ": source is '" + event.source() + "', expected /connectors/<connector>/<instance>");
        }
        if (event.type() == null || !(CANONICAL_TYPES.contains(event.type()) || CUSTOM_TYPE.matcher(event.type()).matches())) {
            violations.add(label + ": type '" + event.type() + "' is neither one of EventTypes nor matches "
                    + CUSTOM_TYPE_PATTERN);
        }
        if (event.time() == null) {
            violations.add(label + ": time is missing");
        }
        if (event.data() == null) {
            violations.add(label + ": data is missing");
            return violations;
        }
        JsonNode data;
        try {
            data = CanonicalEventJson.dataTree(event.data());
        } catch (RuntimeException e) {
            violations.add(label + ": data cannot be written as JSON: " + e.getMessage());
            return violations;
        }
        validateData(data).forEach(v -> violations.add(label + ": data " + v));
        return violations;
    }

    /**
     * Validates an event's {@code data} as JSON against the schema only.
     *
     * @return schema violations, e.g. {@code $.identities: must have at least 1 items but found 0}
     */
    public List<String> validateData(JsonNode data) {
        return SchemaSupport.describe(dataSchema.validate(data));
    }
}
