package io.omnihub.hub.api;

import io.omnihub.hub.HubProperties;
import io.omnihub.hub.plugins.PluginRefusedException;
import io.omnihub.hub.plugins.ClusterPlugins;
import io.omnihub.hub.plugins.PluginRuntime;
import io.omnihub.hub.plugins.PluginStatus;
import java.io.IOException;
import java.security.Principal;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
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
    private final ClusterPlugins cluster;
    private final long maxUploadBytes;

    public PluginsController(PluginRuntime plugins, ClusterPlugins cluster, HubProperties properties) {
        this.plugins = plugins;
        this.cluster = cluster;
        this.maxUploadBytes = properties.getPlugins().getMaxUploadSize().toBytes();
    }

    @PostMapping(consumes = "multipart/form-data")
    @Operation(summary = "Installs a plugin JAR (form field 'file') and starts it; admin. Refused with the reason (422) when it is "
            + "no plugin, not on the SHA-256 allowlist or needs a newer SDK; 409 when the plugin is already installed")
    public ResponseEntity<PluginStatus> upload(@RequestParam("file") MultipartFile file, Principal who) {
        byte[] jar = bytesOf(file);
        return ResponseEntity.status(HttpStatus.CREATED).body(refusable(() -> cluster.install(jar, who.getName())));
    }

    @PostMapping(path = "/{id}/reload", consumes = "multipart/form-data")
    @Operation(summary = "Replaces the plugin with a new version (form field 'file'): instances closed, plugin stopped and unloaded, "
            + "the new JAR loaded and started; admin. A refused JAR leaves the running version untouched")
    public PluginStatus reloadWithNewVersion(@PathVariable String id, @RequestParam("file") MultipartFile file, Principal who) {
        byte[] jar = bytesOf(file);
        return refusable(() -> cluster.reload(id, jar, who.getName())).orElseThrow(() -> notFound(id));
    }

    @PostMapping("/{id}/reload")
    @Operation(summary = "Stops, unloads and loads the plugin again from its JAR in the plugins folder; admin")
    public PluginStatus reload(@PathVariable String id, Principal who) {
        return refusable(() -> cluster.reload(id, null, who.getName())).orElseThrow(() -> notFound(id));
    }

    @PostMapping("/{id}/disable")
    @Operation(summary = "Closes the plugin's instances, stops it and keeps it disabled across restarts until started again")
    public PluginStatus disable(@PathVariable String id, Principal who) {
        return cluster.disable(id, who.getName()).orElseThrow(() -> notFound(id));
    }

    private byte[] bytesOf(MultipartFile file) {
        if (file == null || file.isEmpty()) {
            throw ApiProblems.badRequest("send the plugin JAR as the form field 'file'");
        }
        if (file.getSize() > maxUploadBytes) {
            throw ApiProblems.badRequest("the JAR is larger than hub.plugins.max-upload-size (" + maxUploadBytes + " bytes)");
        }
        try {
            return file.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T refusable(Supplier<T> action) {
        try {
            return action.get();
        } catch (PluginRefusedException e) {
            throw e.kind() == PluginRefusedException.Kind.CONFLICT
                    ? ApiProblems.conflict(e.getMessage())
                    : ApiProblems.unprocessable(e.getMessage());
        }
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
    @Operation(summary = "Closes the plugin's connector instances and stops it on every hub node, until started again")
    public PluginStatus stop(@PathVariable String id, Principal who) {
        return cluster.stop(id, who.getName()).orElseThrow(() -> notFound(id));
    }

    @PostMapping("/{id}/start")
    @Operation(summary = "Starts a stopped plugin and opens its connectors' configured instances")
    public PluginStatus start(@PathVariable String id, Principal who) {
        try {
            return cluster.start(id, who.getName()).orElseThrow(() -> notFound(id));
        } catch (IllegalStateException refused) {
            throw ApiProblems.conflict(refused.getMessage());
        }
    }

    private static ErrorResponseException notFound(String id) {
        return ApiProblems.notFound("no loaded plugin with id '" + id + "'");
    }
}
