package io.omnihub.hub.api;

import io.omnihub.crm.automation.Automation;
import io.omnihub.crm.automation.DefinitionParser;
import io.omnihub.crm.automation.EnrollmentView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Journeys in force, their enrollments, and writing them over the API. */
@RestController
@RequestMapping(path = "/api/v1/journeys", produces = "application/json")
@Tag(name = "automation")
public class JourneysController {

    private static final Set<String> STATUSES = Set.of("active", "completed", "exited");

    private final Automation automation;
    private final DefinitionEditing editing;

    JourneysController(Automation automation, DefinitionEditing editing) {
        this.automation = automation;
        this.editing = editing;
    }

    @GetMapping
    @Operation(summary = "Every journey in force with its enrollments by status")
    public List<DefinitionViews.Journey> list() {
        return automation.definitions().journeys().stream()
                .map(j -> DefinitionViews.Journey.of(j, automation.views().enrollmentCounts(j.id()))).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One journey")
    public DefinitionViews.Journey get(@PathVariable String id) {
        return automation.definitions().journey(id).map(j -> DefinitionViews.Journey.of(j, automation.views().enrollmentCounts(id)))
                .orElseThrow(() -> ApiProblems.notFound("no journey '" + id + "'"));
    }

    @GetMapping("/{id}/enrollments")
    @Operation(summary = "Enrollments of a journey (also of a journey no longer defined), newest first")
    public List<EnrollmentView> enrollments(@PathVariable String id, @RequestParam(required = false) String status,
                                            @RequestParam(required = false) String customer,
                                            @RequestParam(defaultValue = "100") int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiProblems.badRequest("status must be one of active, completed, exited");
        }
        if (limit < 1 || limit > 1000) {
            throw ApiProblems.badRequest("limit must be between 1 and 1000");
        }
        return automation.views().enrollments(id, status, customer, limit);
    }

    @GetMapping("/{id}/source")
    @Operation(summary = "The journey's YAML as written (editable) or, for one a file defines, that file (read-only)")
    public DefinitionEditing.Source source(@PathVariable String id) {
        return editing.source(DefinitionParser.Kind.JOURNEY, id,
                automation.definitions().journey(id).map(d -> d.location()).orElse(null));
    }

    @PutMapping(path = "/{id}", consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain", "application/json"})
    @Operation(summary = "Write a journey (YAML or JSON); running enrollments finish on the version they started with")
    public DefinitionViews.Journey put(@PathVariable String id, @RequestBody byte[] body, Principal who) {
        editing.put(DefinitionParser.Kind.JOURNEY, id, body, who);
        return get(id);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove a journey written over the API; running enrollments finish")
    public ResponseEntity<Void> delete(@PathVariable String id) {
        editing.delete(DefinitionParser.Kind.JOURNEY, id);
        return ResponseEntity.noContent().build();
    }
}
