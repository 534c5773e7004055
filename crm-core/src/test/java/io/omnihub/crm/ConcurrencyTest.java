package io.omnihub.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest extends PgTestBase {

    private static Identity app(int k) {
        return Identity.of("wechat_openid", "o-" + k, "app-" + k);
    }

    @Test
    void fourThreadsOnOverlappingIdentitiesEndWithOneCustomerAndEveryEntry() throws Exception {
        int n = 40;
        List<CustomerEvent> events = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            events.add(msg("single-" + k, "wechat", t(k), "hello " + k, app(k)));
        }
        for (int k = 0; k + 1 < n; k++) {
            // a chain: o-k and o-(k+1) are the same person, so all of them are
            events.add(msg("chain-" + k, "wechat", t(100 + k), "link " + k, app(k), app(k + 1)));
        }
        int distinct = events.size();

        // every event is delivered twice, on different threads, in a different order
        List<List<CustomerEvent>> perThread = new ArrayList<>();
        Random random = new Random(42);
        for (int th = 0; th < 4; th++) {
            perThread.add(new ArrayList<>());
        }
        for (int copy = 0; copy < 2; copy++) {
            List<CustomerEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, random);
            for (int i = 0; i < shuffled.size(); i++) {
                perThread.get((i + copy) % 4).add(shuffled.get(i));
            }
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<BatchResult>>> futures = new ArrayList<>();
        for (List<CustomerEvent> mine : perThread) {
            futures.add(pool.submit(() -> {
                start.await();
                List<BatchResult> results = new ArrayList<>();
                for (int i = 0; i < mine.size(); i += 5) {
                    results.add(core.apply(mine.subList(i, Math.min(mine.size(), i + 5))));
                }
                return results;
            }));
        }
        start.countDown();
        long applied = 0;
        long duplicates = 0;
        for (Future<List<BatchResult>> f : futures) {
            for (BatchResult r : f.get(5, TimeUnit.MINUTES)) {
                applied += r.count(BatchResult.Status.APPLIED);
                duplicates += r.count(BatchResult.Status.DUPLICATE);
                assertThat(r.count(BatchResult.Status.REJECTED)).isZero();
            }
        }
        pool.shutdown();

        assertThat(applied).isEqualTo(distinct);
        assertThat(duplicates).isEqualTo(distinct);
        assertThat(activeCustomers()).isEqualTo(1);
        CustomerView v = view(app(0));
        assertThat(v.identities()).hasSize(n);
        assertThat(count("select count(*) from crm_timeline where customer_id = '" + v.id() + "'")).isEqualTo(distinct);
        assertThat(count("select count(*) from crm_timeline")).isEqualTo(distinct);
        assertThat(count("select count(*) from crm_processed_event")).isEqualTo(distinct);
        assertThat(count("select count(*) from crm_identity")).isEqualTo(n);
        for (int k = 0; k < n; k++) {
            assertThat(view(app(k)).id()).isEqualTo(v.id());
        }
        assertThat(v.mergedIds()).hasSize((int) count("select count(*) from crm_customer") - 1);
    }

    @Test
    void deadlockVictimBatchIsRetried() throws Exception {
        Identity o = app(1);
        String cid = apply(msg("first", "wechat", t(0), "hi", o)).outcomes().get(0).customerId();

        try (java.sql.Connection x = ds.getConnection()) {
            x.setAutoCommit(false);
            try (var st = x.createStatement()) {
                st.execute("select 1 from crm_customer where id = '" + cid + "' for update");
            }
            ExecutorService pool = Executors.newSingleThreadExecutor();
            // takes the identity's advisory lock, then waits for the profile row we hold
            Future<BatchResult> applying = pool.submit(() -> core.apply(List.of(msg("second", "wechat", t(1), "again", o))));
            Thread.sleep(300);
            // now we wait for the identity lock: a cycle; the batch waited first, so it is the victim
            try (var ps = x.prepareStatement("select pg_advisory_xact_lock(?)")) {
                ps.setLong(1, IdKey.of(o).lockKey());
                ps.execute();
            }
            x.commit();
            BatchResult r = applying.get(1, TimeUnit.MINUTES);
            pool.shutdown();
            assertThat(r.outcomes()).singleElement().satisfies(out -> {
                assertThat(out.status()).isEqualTo(BatchResult.Status.APPLIED);
                assertThat(out.customerId()).isEqualTo(cid);
            });
        }
        assertThat(view(o).timeline()).hasSize(2);
    }
}
