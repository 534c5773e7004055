package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A timer whose firing keeps failing in a way that is not the definition's fault. */
class FailingTimersTest extends AutomationTestBase {

    @AfterEach
    void dropTrigger() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("drop trigger if exists refuse_action on crm_action");
            st.execute("drop function if exists refuse_action()");
        }
    }

    @Test
    void aTimerThatKeepsFailingDoesNotHoldBackTheTimersAfterItAndIsSetAsideAfterItsAttempts() throws Exception {
        define(JourneyTest.CART);
        apply(consenting("o-stuck"));
        String stuck = customerOf(apply(cart("o-stuck", 300_000)));
        advance(Duration.ofMinutes(1));
        apply(consenting("o-next"));
        String next = customerOf(apply(cart("o-next", 300_000)));
        // the database refuses the first customer's coupon with an error that is not the definition's
        // fault (as a unique violation or a race that outlasts its retries would), quoting the value
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("create function refuse_action() returns trigger language plpgsql as $$ begin "
                    + "if new.customer_id = '" + stuck + "' then "
                    + "raise exception 'duplicate key' using errcode = '23505', detail = 'Key (customer_id)=(' || new.customer_id || ') exists'; "
                    + "end if; return new; end $$");
            st.execute("create trigger refuse_action before insert on crm_action for each row execute function refuse_action()");
        }

        advance(Duration.ofHours(24));
        assertThat(fireTimers()).isEqualTo(1);

        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.customerId()).isEqualTo(next));
        assertThat(count("select count(*) from crm_timer t join crm_enrollment e on e.id = t.enrollment_id "
                + "where e.customer_id = ? and t.fired_at is null and t.attempts = 1 and t.due_at > ? "
                + "and t.last_error like '%23505%' and t.last_error not like '%' || ? || '%'",
                java.util.UUID.fromString(stuck), io.omnihub.crm.jdbc.SqlValues.utc(clock.instant()), stuck)).isEqualTo(1);

        for (int i = 2; i <= JourneyTimers.MAX_TIMER_ATTEMPTS; i++) {
            advance(JourneyTimers.TIMER_BACKOFF_MAX);
            assertThat(fireTimers()).isZero();
        }
        assertThat(count("select count(*) from crm_timer where fired_at is not null and attempts = ? and outcome like 'failed: %23505%' "
                + "and outcome not like '%' || ? || '%'", JourneyTimers.MAX_TIMER_ATTEMPTS, stuck)).isEqualTo(1);
        assertThat(automation.timers().nextTimerDue()).isEmpty();
        assertThat(automation.timers().failedTimers()).isEqualTo(1);
        advance(JourneyTimers.TIMER_BACKOFF_MAX);
        assertThat(fireTimers()).isZero();
        assertThat(drain()).isEmpty();
    }
}
