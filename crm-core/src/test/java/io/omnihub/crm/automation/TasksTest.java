package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TasksTest extends AutomationTestBase {

    static final String LEADS = """
            assignment:
              regions:
                east: { assignee: li.wei, manager: zhang.min }
              stores:
                SH-001: { assignee: store.sh001, manager: zhao.qiang }
              fallback: { assignee: crm-team, manager: crm-lead }
            journeys:
              - id: lead
                trigger: { event: lead.created }
                steps:
                  - id: assign
                    task:
                      title: "Lead {{ trigger.attributes.name }}"
                      assign-by: region
                      key: trigger.attributes.region
                      due: 24h
                      escalate-after: 24h
            """;

    @Test
    void aLeadIsAssignedByRegionAndEscalatedToTheManagerWhenNotDoneIn24Hours() {
        define(LEADS);
        String c = customerOf(apply(event("lead.created", "o-lead").attribute("name", "Wang").attribute("region", "east").build()));

        assertThat(automation.tasks().tasks("li.wei", null, "open", null, 10)).singleElement().satisfies(t -> {
            assertThat(t.title()).isEqualTo("Lead Wang");
            assertThat(t.customerId()).isEqualTo(c);
            assertThat(t.region()).isEqualTo("east");
            assertThat(t.dueAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
            assertThat(t.escalatedAt()).isNull();
        });
        advance(Duration.ofHours(24));
        fireTimers();

        assertThat(automation.tasks().tasks("li.wei", null, null, null, 10)).isEmpty();
        assertThat(automation.tasks().tasks("zhang.min", null, "open", null, 10)).singleElement().satisfies(t -> {
            assertThat(t.escalatedFrom()).isEqualTo("li.wei");
            assertThat(t.escalatedAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
        });
    }

    @Test
    void aTaskDoneInTimeIsNotEscalated() {
        define(LEADS);
        apply(event("lead.created", "o-quick").attribute("name", "Li").attribute("region", "east").build());
        TaskView task = automation.tasks().tasks("li.wei", null, "open", null, 10).get(0);
        advance(Duration.ofHours(5));

        TaskView done = automation.tasks().completeTask(task.id(), "li.wei", "called, wants a demo");
        advance(Duration.ofHours(20));
        fireTimers();

        assertThat(done.status()).isEqualTo("done");
        assertThat(done.completedBy()).isEqualTo("li.wei");
        assertThat(automation.tasks().task(task.id()).orElseThrow()).satisfies(t -> {
            assertThat(t.assignee()).isEqualTo("li.wei");
            assertThat(t.escalatedAt()).isNull();
        });
        assertThatThrownBy(() -> automation.tasks().completeTask(task.id(), "x", null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> automation.tasks().completeTask("00000000-0000-0000-0000-000000000000", "x", null))
                .isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    void anUnknownRegionGoesToTheFallback() {
        define(LEADS);
        apply(event("lead.created", "o-far").attribute("name", "Zhao").attribute("region", "west").build());
        apply(event("lead.created", "o-none").attribute("name", "Qian").build());

        assertThat(automation.tasks().tasks("crm-team", null, null, null, 10)).hasSize(2).allSatisfy(t -> assertThat(t.manager()).isEqualTo("crm-lead"));
    }

    @Test
    void storeTasksGoToTheCustomersHomeStore() {
        define(LEADS + """
                  - id: store
                    trigger: { event: cart.updated }
                    steps:
                      - id: follow
                        task: { title: follow up, assign-by: store }
                """);
        apply(event("profile.updated", "o-store").attribute("homeStore", "SH-001").build());
        apply(cart("o-store", 1));

        assertThat(automation.tasks().tasks(null, "SH-001", "open", null, 10)).singleElement()
                .satisfies(t -> assertThat(t.assignee()).isEqualTo("store.sh001"));
    }
}
