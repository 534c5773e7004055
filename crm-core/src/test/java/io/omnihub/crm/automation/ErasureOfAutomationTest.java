package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What automation did for an erased customer goes with them; the staff work stays without them. */
class ErasureOfAutomationTest extends AutomationTestBase {

    @Test
    void anErasedLeadsTaskStaysAsStaffWorkWithoutThemAndTheirEnrollmentActionsAndTimersGo() throws Exception {
        define(TasksTest.LEADS);
        String c = customerOf(apply(event("lead.created", "o-lead-erased").attribute("name", "Wang Erased").attribute("region", "east").build()));
        TaskView task = automation.tasks().tasks("li.wei", null, "open", null, 10).get(0);
        assertThat(count("select count(*) from crm_timer where fired_at is null")).isEqualTo(1);

        core.erase(c, "dpo", "request");

        assertThat(automation.tasks().task(task.id()).orElseThrow()).satisfies(t -> {
            assertThat(t.title()).isEqualTo("customer erased");
            assertThat(t.status()).isEqualTo("done");
            assertThat(t.assignee()).isEqualTo("li.wei");
        });
        assertThat(count("select count(*) from crm_task where title like '%Wang%' or note like '%Wang%'")).isZero();
        assertThat(count("select count(*) from crm_enrollment")).isZero();
        assertThat(count("select count(*) from crm_action")).isZero();
        assertThat(count("select count(*) from crm_timer")).isZero();
        advance(Duration.ofHours(25));
        fireTimers();
        assertThat(automation.tasks().tasks("zhang.min", null, "open", null, 10)).isEmpty();
    }
}
