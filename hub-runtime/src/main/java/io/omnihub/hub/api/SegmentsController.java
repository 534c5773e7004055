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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Segments: saved conditions whose members are kept current as events arrive. */
@RestController
@RequestMapping(path = "/api/v1/segments", produces = "application/json")
@Tag(name = "automation")
public class SegmentsController {

    private final Automation automation;
    private final DefinitionEditing editing;

    SegmentsController(Automation automation, DefinitionEditing editing) {
        this.automation = automation;
        this.editing = editing;
    }

    @GetMapping
    @Operation(summary = "Every segment in force with its size")
    public List<DefinitionViews.Segment> list() {
        return automation.definitions().segments().stream()
                .map(s -> DefinitionViews.Segment.of(s, automation.views().segmentSize(s.id()))).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One segment with its size")
    public DefinitionViews.Segment get(@PathVariable String id) {
        return automation.definitions().segment(id).map(s -> DefinitionViews.Segment.of(s, automation.views().segmentSize(id)))
                .orElseThrow(() -> ApiProblems.notFound("no segment '" + id + "'"));
    }

    /**
     * @param segment   the segment
     * @param customers customer ids, the longest members first
     */
    public record Members(String segment, List<String> customers) {
    }

    @GetMapping("/{id}/members")
    @Operation(summary = "Customer ids in a segment")
    public Members members(@PathVariable String id, @RequestParam(defaultValue = "100") int limit) {
        get(id);
        if (limit < 1 || limit > 10_000) {
            throw ApiProblems.badRequest("limit must be between 1 and 10000");
        }
        return new Members(id, automation.views().segmentMembers(id, limit));
    }

    @GetMapping("/{id}/source")
    @Operation(summary = "The segment's YAML as written (editable) or, for one a file defines, that file (read-only)")
    public DefinitionEditing.Source source(@PathVariable String id) {
        return editing.source(DefinitionParser.Kind.SEGMENT, id,
                automation.definitions().segment(id).map(d -> d.location()).orElse(null));
    }

    @PutMapping(path = "/{id}", consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain", "application/json"})
    @Operation(summary = "Write a segment (YAML or JSON); 400 names the line and problem, 409 when a file defines it")
    public DefinitionViews.Segment put(@PathVariable String id, @RequestBody byte[] body, Principal who) {
        editing.put(DefinitionParser.Kind.SEGMENT, id, body, who);
        return get(id);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove a segment written over the API; 409 while a journey is triggered by it")
    public ResponseEntity<Void> delete(@PathVariable String id) {
        editing.delete(DefinitionParser.Kind.SEGMENT, id);
        return ResponseEntity.noContent().build();
    }
}
