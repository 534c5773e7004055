package io.omnihub.hub.api;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.crm.CrmCore;
import io.omnihub.crm.CustomerView;
import io.omnihub.crm.SweepClaims;
import io.omnihub.crm.automation.Automation;
import io.omnihub.crm.automation.DefinitionException;
import io.omnihub.crm.automation.DefinitionFile;
import io.omnihub.crm.automation.DefinitionFolder;
import io.omnihub.crm.automation.DefinitionParser;
import io.omnihub.crm.automation.DryRun;
import io.omnihub.hub.automation.DefinitionFolderWatch;
import io.omnihub.routes.SegmentSweepRoute;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Which definition files and API definitions are in force, and which were refused and why. */
@RestController
@RequestMapping(path = "/api/v1/automation", produces = "application/json")
@Tag(name = "automation")
public class AutomationController {

    private final Automation automation;
    private final DefinitionFolderWatch watch;
    private final CrmCore crm;
    private final Clock clock;
    private final SegmentSweepRoute sweeps;

    AutomationController(Automation automation, DefinitionFolderWatch watch, CrmCore crm, Clock clock, SegmentSweepRoute sweeps) {
        this.automation = automation;
        this.sweeps = sweeps;
        this.watch = watch;
        this.crm = crm;
        this.clock = clock;
    }

    /**
     * @param dir          the definitions folder
     * @param rules        rules in force
     * @param segments     segments in force
     * @param journeys     journeys in force
     * @param traits       windowed traits in force
     * @param sources      every file and API definition, with the reason when refused
     * @param nextTimerDue when the next journey timer or task escalation is due, or null
     * @param failedTimers timers that could not fire and were set aside (outcome {@code failed: ...})
     * @param lastSweep    the last segment sweep that finished (its period, node, time and outcome), or null
     */
    public record Status(String dir, int rules, int segments, int journeys, int traits, List<DefinitionFolder.SourceStatus> sources,
                         Instant nextTimerDue, long failedTimers, SweepClaims.Finished lastSweep) {
    }

    @GetMapping
    @Operation(summary = "Definitions in force and refused, with file, line and problem")
    public Status status() {
        var definitions = automation.definitions();
        return new Status(watch.folder().dir().toString(), definitions.rules().size(), definitions.segments().size(),
                definitions.journeys().size(), definitions.traits().size(), watch.folder().status(), automation.timers().nextTimerDue().orElse(null),
                automation.timers().failedTimers(), sweeps.lastSweep().orElse(null));
    }

    /**
     * A dry run.
     *
     * @param kind      {@code rule}, {@code journey} or {@code segment}
     * @param id        the definition's id
     * @param yaml      the definition to try, as it would be written over the API; when absent, the one in force
     * @param customer  a customer id, or {@code type:value} of one of their identities
     * @param namespace the identity's namespace, for namespaced types (an openid's appid)
     * @param event     the event to try it with (canonical JSON: {@code type}, optional {@code time},
     *                  {@code source}, {@code data}); when absent, the customer's latest fitting event
     */
    public record DryRunRequest(String kind, String id, String yaml, String customer, String namespace, JsonNode event) {
    }

    @PostMapping(path = "/dry-run", consumes = "application/json")
    @Operation(summary = "What a rule, journey trigger or segment would do for one customer now: whether it matches, the actions it "
            + "would plan (guards included) and where a journey would wait; run in a transaction that is rolled back, nothing sent")
    public DryRun.Result dryRun(@RequestBody DryRunRequest request) {
        DefinitionParser.Kind kind;
        try {
            kind = DefinitionParser.Kind.of(String.valueOf(request.kind()));
        } catch (IllegalArgumentException e) {
            throw ApiProblems.badRequest("kind must be rule, journey or segment");
        }
        if (request.id() == null || request.id().isBlank()) {
            throw ApiProblems.badRequest("id is required");
        }
        DefinitionFile candidate;
        try {
            candidate = request.yaml() == null || request.yaml().isBlank() ? inForce(kind, request.id())
                    : DefinitionParser.parseOne(kind, request.id(), request.yaml());
        } catch (DefinitionException e) {
            throw DefinitionEditing.invalid(e);
        }
        CustomerEvent event = null;
        if (request.event() != null && !request.event().isNull()) {
            try {
                event = DryRun.event(request.event().toString(), clock.instant());
            } catch (IllegalArgumentException e) {
                throw ApiProblems.badRequest(e.getMessage());
            }
        }
        try {
            DryRun.Result result = automation.dryRun(candidate, customerId(request.customer(), request.namespace()), event);
            return new DryRun.Result(result.kind(), result.id(), result.customerId(), result.event(), result.matches(), result.notes(),
                    result.actions().stream().map(ActionsController::masked).toList(), result.enrollment(), result.later());
        } catch (DefinitionException e) {
            throw DefinitionEditing.invalid(e);
        } catch (NoSuchElementException e) {
            throw ApiProblems.notFound("no customer '" + request.customer() + "'");
        }
    }

    private DefinitionFile inForce(DefinitionParser.Kind kind, String id) {
        var definitions = automation.definitions();
        return switch (kind) {
            case RULE -> new DefinitionFile("in force", List.of(definitions.rule(id).orElseThrow(() -> notInForce(kind, id))),
                    List.of(), List.of(), null, null);
            case SEGMENT -> new DefinitionFile("in force", List.of(), List.of(definitions.segment(id).orElseThrow(() -> notInForce(kind, id))),
                    List.of(), null, null);
            case JOURNEY -> new DefinitionFile("in force", List.of(), List.of(),
                    List.of(definitions.journey(id).orElseThrow(() -> notInForce(kind, id))), null, null);
        };
    }

    private static RuntimeException notInForce(DefinitionParser.Kind kind, String id) {
        return ApiProblems.notFound("no " + kind.singular() + " '" + id + "' is in force; give its yaml to try it");
    }

    /** A customer id, or the id of the customer an identity ({@code type:value}) belongs to. */
    private String customerId(String customer, String namespace) {
        if (customer == null || customer.isBlank()) {
            throw ApiProblems.badRequest("customer is required: a customer id or type:value of an identity");
        }
        int colon = customer.indexOf(':');
        if (colon < 0) {
            return customer.strip();
        }
        return crm.findByIdentity(customer.substring(0, colon).strip(), customer.substring(colon + 1).strip(),
                        namespace == null || namespace.isBlank() ? null : namespace.strip())
                .map(CustomerView::id)
                .orElseThrow(() -> ApiProblems.notFound("nobody has the identity " + customer));
    }
}
