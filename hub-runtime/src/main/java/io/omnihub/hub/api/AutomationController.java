package io.omnihub.hub.api;

import io.omnihub.crm.automation.Automation;
import io.omnihub.crm.automation.DefinitionFolder;
import io.omnihub.hub.automation.DefinitionFolderWatch;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Which definition files and API definitions are in force, and which were refused and why. */
@RestController
@RequestMapping(path = "/api/v1/automation", produces = "application/json")
@Tag(name = "automation")
public class AutomationController {

    private final Automation automation;
    private final DefinitionFolderWatch watch;

    AutomationController(Automation automation, DefinitionFolderWatch watch) {
        this.automation = automation;
        this.watch = watch;
    }

    /**
     * @param dir          the definitions folder
     * @param rules        rules in force
     * @param segments     segments in force
     * @param journeys     journeys in force
     * @param sources      every file and API definition, with the reason when refused
     * @param nextTimerDue when the next journey timer or task escalation is due, or null
     * @param failedTimers timers that could not fire and were set aside (outcome {@code failed: ...})
     */
    public record Status(String dir, int rules, int segments, int journeys, List<DefinitionFolder.SourceStatus> sources,
                         Instant nextTimerDue, long failedTimers) {
    }

    @GetMapping
    @Operation(summary = "Definitions in force and refused, with file, line and problem")
    public Status status() {
        var definitions = automation.definitions();
        return new Status(watch.folder().dir().toString(), definitions.rules().size(), definitions.segments().size(),
                definitions.journeys().size(), watch.folder().status(), automation.timers().nextTimerDue().orElse(null),
                automation.timers().failedTimers());
    }
}
