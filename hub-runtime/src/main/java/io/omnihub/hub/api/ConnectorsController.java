package io.omnihub.hub.api;

import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.hub.connectors.ConnectorInstances;
import io.omnihub.hub.connectors.InstanceStatus;
import io.omnihub.hub.plugins.CatalogEntry;
import io.omnihub.hub.plugins.ConnectorCatalog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Connectors from the started plugins and their configured instances. */
@RestController
@RequestMapping(path = "/api/v1/connectors", produces = "application/json")
@Tag(name = "connectors", description = "Connectors and their configured instances")
public class ConnectorsController {

    private final ConnectorCatalog catalog;
    private final ConnectorInstances instances;

    public ConnectorsController(ConnectorCatalog catalog, ConnectorInstances instances) {
        this.catalog = catalog;
        this.instances = instances;
    }

    @GetMapping
    @Operation(summary = "Every installed or configured connector with its instances (state, error, last check, masked config)")
    public List<ConnectorView> list() {
        Map<String, List<InstanceStatus>> byConnector = instances.statuses().stream()
                .collect(Collectors.groupingBy(InstanceStatus::connector, TreeMap::new, Collectors.toList()));
        TreeMap<String, ConnectorView> views = new TreeMap<>();
        catalog.all().forEach(entry -> views.put(entry.connectorId(), view(entry, byConnector.getOrDefault(entry.connectorId(), List.of()))));
        byConnector.forEach((connectorId, statuses) -> views.putIfAbsent(connectorId,
                new ConnectorView(connectorId, false, null, null, null, null, null, statuses)));
        return List.copyOf(views.values());
    }

    @GetMapping("/{connector}")
    @Operation(summary = "One connector with its instances")
    public ConnectorView get(@PathVariable String connector) {
        return list().stream().filter(view -> view.id().equals(connector)).findFirst()
                .orElseThrow(() -> ApiProblems.notFound("no connector '" + connector + "' is installed or configured"));
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
            throw ApiProblems.conflict("instance " + connector + "/" + instance + " is " + status.state() + ", not RUNNING");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(status);
    }

    private static ConnectorView view(CatalogEntry entry, List<InstanceStatus> statuses) {
        ConnectorDescriptor descriptor = entry.descriptor();
        return new ConnectorView(descriptor.id(), true, entry.pluginId(), descriptor.name(), descriptor.version(),
                descriptor.channel(), descriptor.capabilities(), Optional.ofNullable(statuses).orElse(List.of()));
    }
}
