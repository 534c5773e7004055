package io.omnihub.hub.api;

import io.omnihub.hub.demo.DemoMode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Whether this hub is a demo (channels simulated, a brand's day played against it), and where its simulator is. */
@RestController
@RequestMapping(path = "/api/v1/demo", produces = "application/json")
@Tag(name = "demo", description = "Demo mode")
public class DemoController {

    private final ObjectProvider<DemoMode> demo;

    DemoController(ObjectProvider<DemoMode> demo) {
        this.demo = demo;
    }

    @GetMapping
    @Operation(summary = "Demo mode: enabled, the simulator's address and request journal, the demo's own instances")
    public DemoMode.Status status() {
        DemoMode mode = demo.getIfAvailable();
        return mode == null ? new DemoMode.Status(false, null, null, 0, java.util.Set.of(), false) : mode.status();
    }
}
