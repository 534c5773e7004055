package io.omnihub.connectors.tmall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.schema.CanonicalEventJson;
import io.omnihub.connector.schema.CanonicalEventValidator;
import java.util.Collection;

/** Checks events against the canonical event rules, the very ones the hub's normalize stage applies. */
final class CanonicalEvents {

    private static final CanonicalEventValidator RULES = CanonicalEventValidator.create();

    private CanonicalEvents() {
    }

    static JsonNode dataOf(CustomerEvent event) {
        return CanonicalEventJson.dataTree(event.data());
    }

    static void assertValid(Collection<CustomerEvent> events) {
        for (CustomerEvent event : events) {
            assertThat(RULES.validate(event, "tmall", "flagship")).as("violations of %s", event.id()).isEmpty();
        }
    }
}
