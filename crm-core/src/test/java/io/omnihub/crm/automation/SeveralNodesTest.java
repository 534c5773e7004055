package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.crm.CrmCore;
import io.omnihub.crm.IdentityPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Hub nodes sharing one database: each due timer fires once, each planned action is handed over once. */
class SeveralNodesTest extends AutomationTestBase {

    static final int CUSTOMERS = 40;
    static final String JOURNEY = """
            journeys:
              - id: later
                trigger: { event: customer.followed }
                steps:
                  - id: pause
                    wait: 1h
                  - id: count
                    score: { name: fired, add: 1 }
                  - id: hello
                    send:
                      marketing: false
                      connector: wechat
                      instance: brand-oa
                      kind: wechat.template
                      recipient: wechat_openid
                      payload: { template_id: HELLO }
            """;

    @Test
    void fourWorkersOnTwoNodesFireEveryDueTimerExactlyOnce() throws Exception {
        define(JOURNEY);
        Automation other = new Automation(ds, clock, guards());
        other.use(automation.definitions());
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            customers.add(customerOf(apply(event("customer.followed", "o-node-" + i).build())));
        }
        advance(Duration.ofHours(1));

        List<Integer> fired = race(List.of(() -> automation.timers().fireDueTimers(1000), () -> automation.timers().fireDueTimers(1000),
                () -> other.timers().fireDueTimers(1000), () -> other.timers().fireDueTimers(1000)));

        assertThat(fired.stream().mapToInt(Integer::intValue).sum()).isEqualTo(CUSTOMERS);
        for (String c : customers) {
            assertThat(core.customer(c).orElseThrow().scores()).containsEntry("fired", 1L);
        }
        assertThat(count("select count(*) from crm_timer where fired_at is null")).isZero();
        assertThat(count("select count(*) from crm_action where kind = 'wechat.template'")).isEqualTo(CUSTOMERS);

        List<PlannedAction> mine = Collections.synchronizedList(new ArrayList<>());
        List<PlannedAction> theirs = Collections.synchronizedList(new ArrayList<>());
        race(List.of(() -> drainSlowly(automation, mine), () -> drainSlowly(other, theirs)));
        List<String> ids = new ArrayList<>();
        mine.forEach(a -> ids.add(a.id()));
        theirs.forEach(a -> ids.add(a.id()));
        assertThat(ids).hasSize(CUSTOMERS).doesNotHaveDuplicates();
    }

    @Test
    void aRestartedNodeFiresTheTimerOfAWaitItStartedBeforeAndOnlyOnce() {
        define(JOURNEY);
        String c = customerOf(apply(event("customer.followed", "o-restart").build()));

        // the node that enrolled the customer goes away; a new one (fresh memory, same database) takes over
        Automation restarted = new Automation(ds, clock, guards());
        restarted.use(new Definitions.Builder().add(DefinitionParser.parseFile("test.yaml", JOURNEY)).build());
        CrmCore core2 = new CrmCore(ds, IdentityPolicy.defaults(), clock, restarted);
        advance(Duration.ofMinutes(59));
        assertThat(restarted.timers().fireDueTimers(10)).isZero();
        advance(Duration.ofMinutes(1));

        assertThat(restarted.timers().fireDueTimers(10)).isEqualTo(1);
        assertThat(restarted.timers().fireDueTimers(10)).isZero();
        assertThat(core2.customer(c).orElseThrow().scores()).containsEntry("fired", 1L);
    }

    private static int drainSlowly(Automation node, List<PlannedAction> into) {
        int total = 0;
        int n;
        do {
            n = node.outbox().drainOutbox(3, batch -> {
                into.addAll(batch);
                try {
                    Thread.sleep(5); // hold the claimed rows a moment, as a broker round trip would
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            total += n;
        } while (n > 0);
        return total;
    }

    private static <T> List<T> race(List<Callable<T>> workers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> w : workers) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return w.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
