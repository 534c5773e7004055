package io.omnihub.crm.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Order;
import io.omnihub.crm.BatchResult;
import io.omnihub.crm.CrmCore;
import io.omnihub.crm.CrmSchema;
import io.omnihub.crm.IdentityPolicy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Events applied per second by the CRM core alone: {@code CrmCore.apply} on batches of 500 (the
 * pipeline's default), one thread (the core stage's one consumer), embedded PostgreSQL 17.
 *
 * <p>The events are a retail mix over a growing set of people: WeChat messages (openid, and the
 * unionid on one in three), Tmall orders (buyer id and phone), store purchases (member card and
 * phone), so some events merge profiles. It uses only the core's public API, so
 * {@code crm-core/bench/core.sh BASE} runs the same file on another commit for a before/after pair.
 *
 * <p>Arguments: {@code [events] [warm-up events] [people]}, defaults 60,000, 20,000 and 20,000.
 */
public final class CoreThroughputBenchmark {

    private static final int BATCH = 500;

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int people = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(); HikariDataSource ds = HubPool.on(pg)) {
            CrmSchema.migrate(ds);
            CrmCore core = new CrmCore(ds, IdentityPolicy.defaults(), Clock.systemUTC());
            List<CustomerEvent> all = generate(warmup + events, people, new SplittableRandom(20261206L));
            run(core, all.subList(0, warmup));
            long start = System.nanoTime();
            long applied = run(core, all.subList(warmup, all.size()));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("core: %d events in %.1f s = %.0f events/s (batches of %d, one thread, %d people)%n",
                    applied, seconds, applied / seconds, BATCH, people);
        }
    }

    /** Applies {@code events} in batches of 500, one after the other, and counts those applied. */
    static long run(CrmCore core, List<CustomerEvent> events) {
        long applied = 0;
        for (int i = 0; i < events.size(); i += BATCH) {
            BatchResult r = core.apply(events.subList(i, Math.min(events.size(), i + BATCH)));
            applied += r.count(BatchResult.Status.APPLIED);
        }
        return applied;
    }

    static List<CustomerEvent> generate(int count, int people, SplittableRandom random) {
        List<CustomerEvent> out = new ArrayList<>(count);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            int p = random.nextInt(people);
            Instant at = t0.plusSeconds(i);
            String phone = "+861" + (3000000000L + p * 7L);
            String id = "bench:" + i;
            CustomerEvent e = switch (random.nextInt(3)) {
                case 0 -> {
                    CustomerEvent.Builder b = CustomerEvent.builder(id, "message.received").source("wechat", "bench")
                            .time(at).receivedAt(at).identity(Identity.of("wechat_openid", "o" + p, "wxbench"))
                            .message(new Message("text", "hello " + i));
                    if (p % 3 == 0) {
                        b.identity(Identity.of("wechat_unionid", "u" + p));
                    }
                    yield b.build();
                }
                case 1 -> CustomerEvent.builder(id, "order.paid").source("tmall", "bench").time(at).receivedAt(at)
                        .identity(Identity.of("tmall_ouid", "t" + p, "seller"))
                        .identity(Identity.phone(phone))
                        .order(new Order("T" + i, "PAID", "CNY", 100 + random.nextInt(50_000), List.of())).build();
                default -> CustomerEvent.builder(id, "store.purchased").source("pos", "bench").time(at).receivedAt(at)
                        .identity(Identity.of("member_card", "C" + p))
                        .identity(Identity.phone(phone))
                        .attribute("store", "S" + (p % 40))
                        .order(new Order("P" + i, "COMPLETED", "CNY", 100 + random.nextInt(50_000), List.of())).build();
            };
            out.add(e);
        }
        return out;
    }
}
