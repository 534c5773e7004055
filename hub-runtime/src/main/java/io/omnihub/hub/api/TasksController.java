package io.omnihub.hub.api;

import io.omnihub.crm.automation.Automation;
import io.omnihub.crm.automation.TaskView;
import io.omnihub.routes.privacy.PersonalDataMasker;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Staff tasks rules and journeys created: by assignee, store, status or customer; completing one is the follow-up. */
@RestController
@RequestMapping(path = "/api/v1/tasks", produces = "application/json")
@Tag(name = "automation")
public class TasksController {

    private final Automation automation;

    TasksController(Automation automation) {
        this.automation = automation;
    }

    @GetMapping
    @Operation(summary = "Tasks, open ones first, newest first")
    public List<TaskView> list(@RequestParam(required = false) String assignee, @RequestParam(required = false) String store,
                               @RequestParam(required = false) String status, @RequestParam(required = false) String customer,
                               @RequestParam(defaultValue = "100") int limit) {
        if (status != null && !status.equals("open") && !status.equals("done")) {
            throw ApiProblems.badRequest("status must be open or done");
        }
        if (limit < 1 || limit > 1000) {
            throw ApiProblems.badRequest("limit must be between 1 and 1000");
        }
        return automation.tasks().tasks(assignee, store, status, customer, limit).stream().map(TasksController::masked).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One task")
    public TaskView get(@PathVariable String id) {
        return automation.tasks().task(id).map(TasksController::masked).orElseThrow(() -> ApiProblems.notFound("no task '" + id + "'"));
    }

    /** Titles and notes come from templates and may hold a phone number or channel id: masked like logs are. */
    static TaskView masked(TaskView t) {
        return new TaskView(t.id(), t.customerId(), PersonalDataMasker.mask(t.title()), PersonalDataMasker.mask(t.note()), t.assignee(),
                t.manager(), t.store(), t.region(), t.leadSource(), t.origin(), t.status(), t.dueAt(), t.escalateAt(), t.escalatedAt(),
                t.escalatedFrom(), t.createdAt(), t.completedAt(), t.completedBy(), PersonalDataMasker.mask(t.completionNote()));
    }

    /**
     * @param by   who did it (default: the logged-in user)
     * @param note what happened
     */
    public record Completion(String by, String note) {
    }

    @PostMapping("/{id}/complete")
    @Operation(summary = "Mark a task done (stops its escalation); 409 when it is done already")
    public TaskView complete(@PathVariable String id, @RequestBody(required = false) Completion completion, Principal who) {
        String by = completion != null && completion.by() != null && !completion.by().isBlank() ? completion.by()
                : who == null ? null : who.getName();
        try {
            return masked(automation.tasks().completeTask(id, by, completion == null ? null : completion.note()));
        } catch (NoSuchElementException e) {
            throw ApiProblems.notFound("no task '" + id + "'");
        } catch (IllegalStateException e) {
            throw ApiProblems.conflict(e.getMessage());
        }
    }
}
