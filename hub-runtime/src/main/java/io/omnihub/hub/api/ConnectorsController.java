package io.omnihub.hub.api;

import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.hub.connectors.ConnectorInstances;
import io.omnihub.hub.connectors.InstanceOperationException;
import io.omnihub.hub.connectors.InstanceStatus;
import io.omnihub.hub.demo.DemoMode;
import io.omnihub.hub.plugins.CatalogEntry;
import io.omnihub.hub.plugins.ConnectorCatalog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Connectors from the started plugins and their configured instances: states, lifecycle operations
 * (pause, resume, stop, restart, check) and instances created, changed and deleted over the API.
 */
@RestController
@RequestMapping(path = "/api/v1/connectors", produces = "application/json")
@Tag(name = "connectors", description = "Connectors and their configured instances")
public class ConnectorsController {

    private final ConnectorCatalog catalog;
    private final ConnectorInstances instances;
    private final ObjectProvider<DemoMode> demo;

    public ConnectorsController(ConnectorCatalog catalog, ConnectorInstances instances, ObjectProvider<DemoMode> demo) {
        this.catalog = catalog;
        this.instances = instances;
        this.demo = demo;
    }

    @GetMapping
    @Operation(summary = "Every installed or configured connector with its instances (state, error, last check, masked config)")
    public List<ConnectorView> list() {
        Map<String, List<InstanceStatus>> byConnector = instances.statuses().stream()
                .collect(Collectors.groupingBy(InstanceStatus::connector, TreeMap::new, Collectors.toList()));
        TreeMap<String, ConnectorView> views = new TreeMap<>();
        catalog.all().forEach(entry -> views.put(entry.connectorId(), view(entry, byConnector.getOrDefault(entry.connectorId(), List.of()),
                null)));
        byConnector.forEach((connectorId, statuses) -> views.putIfAbsent(connectorId,
                new ConnectorView(connectorId, false, null, null, null, null, null, statuses, null, null)));
        return List.copyOf(views.values());
    }

    @GetMapping("/{connector}")
    @Operation(summary = "One connector with its instances and the JSON Schema of an instance's configuration (configSchema)")
    public ConnectorView get(@PathVariable String connector) {
        ConnectorView listed = list().stream().filter(view -> view.id().equals(connector)).findFirst()
                .orElseThrow(() -> ApiProblems.notFound("no connector '" + connector + "' is installed or configured"));
        return catalog.find(connector).map(entry -> view(entry, listed.instances(), schema(entry))).orElse(listed);
    }

    /** The connector's configuration schema as JSON, or null when the plugin's is not JSON (its instances fail to open then). */
    private static JsonNode schema(CatalogEntry entry) {
        try {
            return SCHEMA_READER.readTree(entry.descriptor().configSchema());
        } catch (JacksonException e) {
            return null;
        }
    }

    @GetMapping("/{connector}/instances/{instance}")
    @Operation(summary = "One configured instance")
    public InstanceStatus instance(@PathVariable String connector, @PathVariable String instance) {
        return instances.status(connector, instance)
                .orElseThrow(() -> ApiProblems.notFound("no instance '" + instance + "' of connector '" + connector + "' is configured"));
    }

    @PostMapping("/{connector}/instances/{instance}/check")
    @Operation(summary = "Runs the instance's check now; its result shows in the instance's lastCheck")
    public ResponseEntity<InstanceStatus> check(@PathVariable String connector, @PathVariable String instance) {
        InstanceStatus status = instance(connector, instance);
        if (!instances.checkNow(connector, instance)) {
            throw ApiProblems.conflict("instance " + connector + "/" + instance + " is " + status.state() + ", not RUNNING or PAUSED");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(status);
    }

    @PostMapping("/{connector}/instances/{instance}/pause")
    @Operation(summary = "Sets a RUNNING instance aside: it stays open but the pipeline stops calling it; kept across restarts")
    public InstanceStatus pause(@PathVariable String connector, @PathVariable String instance, Principal who) {
        return operate(() -> instances.pause(connector, instance, who.getName()));
    }

    @PostMapping("/{connector}/instances/{instance}/resume")
    @Operation(summary = "Lets a PAUSED instance run again, or opens a STOPPED one")
    public InstanceStatus resume(@PathVariable String connector, @PathVariable String instance, Principal who) {
        return operate(() -> instances.resume(connector, instance, who.getName()));
    }

    @PostMapping("/{connector}/instances/{instance}/stop")
    @Operation(summary = "Closes the instance; it stays STOPPED, across restarts, until resumed or restarted")
    public InstanceStatus stop(@PathVariable String connector, @PathVariable String instance, Principal who) {
        return operate(() -> instances.stop(connector, instance, who.getName()));
    }

    @PostMapping("/{connector}/instances/{instance}/restart")
    @Operation(summary = "Closes and opens the instance again; a FAILED instance gets a fresh start")
    public InstanceStatus restart(@PathVariable String connector, @PathVariable String instance, Principal who) {
        return operate(() -> instances.restart(connector, instance, who.getName()));
    }

    @PutMapping(path = "/{connector}/instances/{instance}", consumes = "application/json")
    @Operation(summary = "Creates the instance or replaces its configuration (a JSON object of keys and values), validated "
            + "against the connector's schema. Secrets are write-only: leave a secret out, or send ******, to keep the stored one")
    public ResponseEntity<InstanceStatus> define(@PathVariable String connector, @PathVariable String instance,
                                                 @RequestBody JsonNode config, Principal who) {
        if (config == null || !config.isObject()) {
            throw ApiProblems.badRequest("the body must be a JSON object of configuration keys and values");
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new java.util.ArrayList<>();
        config.properties().forEach(field -> {
            JsonNode value = field.getValue();
            if (value.isNull()) {
                return;
            }
            if (value.isContainer()) {
                problems.add(field.getKey() + ": must be a string, number or boolean");
            } else {
                values.put(field.getKey(), value.asString());
            }
        });
        if (!problems.isEmpty()) {
            throw invalid("invalid configuration for " + connector + "/" + instance, problems);
        }
        DemoMode demoMode = demo.getIfAvailable();
        if (demoMode != null) {
            demoMode.refusal(connector, instance, values).ifPresent(why -> {
                throw invalid("refused in demo mode: " + connector + "/" + instance, List.of(why));
            });
        }
        ConnectorInstances.Defined defined = operate(() -> instances.define(connector, instance, values, who.getName()));
        return ResponseEntity.status(defined.created() ? HttpStatus.CREATED : HttpStatus.OK).body(defined.status());
    }

    @DeleteMapping("/{connector}/instances/{instance}")
    @Operation(summary = "Deletes an instance created over the API (closing it); for an instance the properties also "
            + "define, drops the API's changes and returns to the properties' configuration")
    public ResponseEntity<InstanceStatus> delete(@PathVariable String connector, @PathVariable String instance, Principal who) {
        return operate(() -> instances.delete(connector, instance, who.getName()))
                .map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    private static <T> T operate(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (InstanceOperationException e) {
            throw switch (e.kind()) {
                case UNKNOWN -> ApiProblems.notFound(e.getMessage());
                case CONFLICT -> ApiProblems.conflict(e.getMessage());
                case INVALID -> invalid(e.getMessage(), e.problems());
            };
        }
    }

    private static ErrorResponseException invalid(String detail, List<String> problems) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid Configuration");
        problem.setProperty("problems", problems);
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    private static ConnectorView view(CatalogEntry entry, List<InstanceStatus> statuses, JsonNode schema) {
        ConnectorDescriptor descriptor = entry.descriptor();
        return new ConnectorView(descriptor.id(), true, entry.pluginId(), descriptor.name(), descriptor.version(),
                descriptor.channel(), descriptor.capabilities(), Optional.ofNullable(statuses).orElse(List.of()),
                descriptor.capabilities().contains(ConnectorDescriptor.Capability.WEBHOOK) ? "/hooks/" + descriptor.id() + "/{instance}" : null,
                schema);
    }

    private static final ObjectMapper SCHEMA_READER = JsonMapper.builder().build();
}
