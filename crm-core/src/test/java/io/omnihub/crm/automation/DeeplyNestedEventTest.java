package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.crm.BatchResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Event data nested far deeper than any definition reads. */
class DeeplyNestedEventTest extends AutomationTestBase {

    static Map<String, Object> nested(int depth) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> at = root;
        for (int i = 0; i < depth; i++) {
            Map<String, Object> inner = new LinkedHashMap<>();
            at.put("a", inner);
            at = inner;
        }
        at.put("leaf", 1);
        return root;
    }

    @Test
    void automationForADeeplyNestedEventRunsItsRulesWithTheTooDeepPartLeftOut() throws Exception {
        define("""
                rules:
                  - id: seen
                    on: form.sent
                    then: [ { tag: seen } ]
                  - id: shallow
                    on: form.sent
                    when: "event.extra.form.a.a.leaf == 1"
                    then: [ { tag: shallow } ]
                  - id: deep
                    on: form.sent
                    when: "has(event.extra.deep.a.a.a)"
                    then: [ { tag: deep } ]
                """);
        BatchResult known = apply(event("consent.changed", "o-deep").build(), event("consent.changed", "o-other").build());
        CustomerEvent deep = event("form.sent", "o-deep").extra("form", nested(2)).extra("deep", nested(5_000)).build();
        CustomerEvent other = event("form.sent", "o-other").build();
        BatchResult result = new BatchResult(List.of(
                new BatchResult.Outcome(deep.id(), BatchResult.Status.APPLIED, known.outcomes().get(0).customerId(), null),
                new BatchResult.Outcome(other.id(), BatchResult.Status.APPLIED, known.outcomes().get(1).customerId(), null)));

        // the automation of the core's transaction, on a thread with a consumer's stack
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread consumer = new Thread(null, () -> {
            try {
                new io.omnihub.crm.jdbc.Transactions(ds, io.omnihub.crm.jdbc.Transactions.Retry.lockRaces(8), io.omnihub.crm.CrmException::new).retrying(c -> {
                    automation.applied(c, List.of(deep, other), result, clock.instant());
                    return null;
                });
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "consumer", 512 * 1024);
        consumer.start();
        consumer.join();

        assertThat(failure.get()).isNull();
        assertThat(core.customer(known.outcomes().get(0).customerId()).orElseThrow().tags()).containsExactlyInAnyOrder("seen", "shallow", "deep");
        assertThat(core.customer(known.outcomes().get(1).customerId()).orElseThrow().tags()).containsExactly("seen");
    }

    @Test
    void valuesBeyondTheDepthLimitAreLeftOut() {
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) CelValues.of(nested(CelValues.MAX_DEPTH + 5));
        int depth = 0;
        for (Object at = seen; at instanceof Map<?, ?> m && m.containsKey("a"); at = m.get("a")) {
            depth++;
        }
        assertThat(depth).isEqualTo(CelValues.MAX_DEPTH - 1);
    }
}
