package io.omnihub.hub.api;

import io.omnihub.hub.plugins.PluginRuntime;
import io.omnihub.hub.plugins.PluginStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The plugin JARs in the plugins folder and what became of them. */
@RestController
@RequestMapping(path = "/api/v1/plugins", produces = "application/json")
@Tag(name = "plugins", description = "Connector plugin JARs in the plugins folder")
public class PluginsController {

    private final PluginRuntime plugins;

    public PluginsController(PluginRuntime plugins) {
        this.plugins = plugins;
    }

    @GetMapping
    @Operation(summary = "Every plugin JAR: id, version, state, required SDK, connectors, file, SHA-256, and why it is not started")
    public List<PluginStatus> list() {
        return plugins.plugins();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One plugin by id")
    public PluginStatus get(@PathVariable String id) {
        return plugins.plugin(id).orElseThrow(() -> notFound(id));
    }

    @PostMapping("/{id}/stop")
    @Operation(summary = "Closes the plugin's connector instances and stops it, until started again or the hub restarts")
    public PluginStatus stop(@PathVariable String id) {
        return plugins.stop(id).orElseThrow(() -> notFound(id));
    }

    @PostMapping("/{id}/start")
    @Operation(summary = "Starts a stopped plugin and opens its connectors' configured instances")
    public PluginStatus start(@PathVariable String id) {
        try {
            return plugins.start(id).orElseThrow(() -> notFound(id));
        } catch (IllegalStateException refused) {
            throw ApiProblems.conflict(refused.getMessage());
        }
    }

    private static ErrorResponseException notFound(String id) {
        return ApiProblems.notFound("no loaded plugin with id '" + id + "'");
    }
}
