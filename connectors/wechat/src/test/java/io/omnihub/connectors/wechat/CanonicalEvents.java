package io.omnihub.connectors.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.omnihub.connector.event.CustomerEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Set;

/** Checks events against the SDK's canonical schema, as the hub's normalize step will. */
final class CanonicalEvents {

    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final JsonSchema SCHEMA = load();

    private CanonicalEvents() {
    }

    private static JsonSchema load() {
        try (InputStream in = CustomerEvent.class.getResourceAsStream(CustomerEvent.SCHEMA_RESOURCE)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode dataOf(CustomerEvent event) {
        return JSON.valueToTree(event.data());
    }

    static void assertValid(Collection<CustomerEvent> events) {
        for (CustomerEvent event : events) {
            Set<ValidationMessage> problems = SCHEMA.validate(dataOf(event));
            assertThat(problems).as("schema problems of %s", event.id()).isEmpty();
            assertThat(event.source()).isEqualTo("/connectors/wechat/brand-oa");
        }
    }
}
