package io.omnihub.hub.api;

import io.omnihub.crm.automation.Automation;
import io.omnihub.crm.automation.DefinitionParser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** IF-THEN rules (tags, scores, messages, tasks) in force, and writing them over the API. */
@RestController
@RequestMapping(path = "/api/v1/rules", produces = "application/json")
@Tag(name = "automation", description = "Rules, segments, journeys, tasks and actions")
public class RulesController {

    private final Automation automation;
    private final DefinitionEditing editing;

    RulesController(Automation automation, DefinitionEditing editing) {
        this.automation = automation;
        this.editing = editing;
    }

    @GetMapping
    @Operation(summary = "Every rule in force, from files and the API")
    public List<DefinitionViews.Rule> list() {
        return automation.definitions().rules().stream().map(DefinitionViews.Rule::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One rule")
    public DefinitionViews.Rule get(@PathVariable String id) {
        return automation.definitions().rule(id).map(DefinitionViews.Rule::of)
                .orElseThrow(() -> ApiProblems.notFound("no rule '" + id + "'"));
    }

    @GetMapping("/{id}/source")
    @Operation(summary = "The rule's YAML as written (editable) or, for one a file defines, that file (read-only)")
    public DefinitionEditing.Source source(@PathVariable String id) {
        return editing.source(DefinitionParser.Kind.RULE, id,
                automation.definitions().rule(id).map(d -> d.location()).orElse(null));
    }

    @PutMapping(path = "/{id}", consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain", "application/json"})
    @Operation(summary = "Write a rule (YAML or JSON, the fields of one rule); 400 names the line and problem, 409 when a file defines it")
    public DefinitionViews.Rule put(@PathVariable String id, @RequestBody byte[] body, Principal who) {
        editing.put(DefinitionParser.Kind.RULE, id, body, who);
        return get(id);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove a rule written over the API")
    public ResponseEntity<Void> delete(@PathVariable String id) {
        editing.delete(DefinitionParser.Kind.RULE, id);
        return ResponseEntity.noContent().build();
    }
}
