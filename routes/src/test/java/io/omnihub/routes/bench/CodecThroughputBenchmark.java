package io.omnihub.routes.bench;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Order;
import io.omnihub.routes.event.CanonicalEventCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Events encoded per second by {@link CanonicalEventCodec#encode} (validation against the envelope
 * rules and {@code customer-event.schema.json}, then the CloudEvents JSON bytes), one thread, the
 * normalize stage's work per event after the connector's normalizer.
 *
 * <p>Two realistic shapes, each a pool of distinct events cycled through: a WeChat text message as
 * the WeChat normalizer makes it (verified openid in its app's namespace, the text, the MsgId), and a
 * Tmall order with three lines (buyer id, phone, amounts in fen, categories). Each is measured alone,
 * then {@link CanonicalEventCodec#decode} (the full check on input from outside the hub) on the order.
 * Each figure is given per second of wall-clock time and per second of the thread's CPU time.
 * It uses only the codec's public API, so {@code routes/bench/codec.sh BASE} runs the same file on
 * another commit for a before/after pair.
 *
 * <p>Arguments: {@code [events] [warm-up events]}, defaults 400,000 and 200,000.
 */
public final class CodecThroughputBenchmark {

    private static final int POOL = 10_000;

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        CanonicalEventCodec codec = new CanonicalEventCodec();
        SplittableRandom random = new SplittableRandom(20261206L);
        List<CustomerEvent> texts = pool(i -> textMessage(i, random));
        List<CustomerEvent> orders = pool(i -> order(i, random));
        List<byte[]> encodedOrders = orders.stream().map(codec::encode).toList();

        long bytes = 0;
        for (int round = 0; round < 2; round++) {
            int n = round == 0 ? warmup : events;
            long[] start = now();
            for (int i = 0; i < n; i++) {
                bytes += codec.encode(texts.get(i % POOL)).length;
            }
            report(round, "encode wechat text", n, start);
            start = now();
            for (int i = 0; i < n; i++) {
                bytes += codec.encode(orders.get(i % POOL)).length;
            }
            report(round, "encode order, 3 lines", n, start);
            start = now();
            for (int i = 0; i < n; i++) {
                bytes += codec.decode(encodedOrders.get(i % POOL)).id().length();
            }
            report(round, "decode order, 3 lines", n, start);
        }
        System.out.println("codec: (" + bytes + " bytes written and read, so nothing is optimised away)");
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Wall-clock and this thread's CPU time, in nanoseconds. */
    private static long[] now() {
        return new long[] {System.nanoTime(), THREADS.getCurrentThreadCpuTime()};
    }

    /**
     * Events per second of wall-clock time and per second of the thread's own CPU time: on a
     * machine shared with other work the second is the steadier figure to compare.
     */
    private static void report(int round, String what, int n, long[] start) {
        if (round == 0) {
            return; // warm-up: the JIT compiles, the pools fill
        }
        long[] end = now();
        double wall = (end[0] - start[0]) / 1e9;
        double cpu = (end[1] - start[1]) / 1e9;
        System.out.printf("codec: %-22s %,9.0f events/s, %,9.0f per CPU second (%,d events in %.2f s, one thread)%n",
                what, n / wall, n / cpu, n, wall);
    }

    private static List<CustomerEvent> pool(Function<Integer, CustomerEvent> make) {
        List<CustomerEvent> pool = new ArrayList<>(POOL);
        for (int i = 0; i < POOL; i++) {
            pool.add(make.apply(i));
        }
        return pool;
    }

    private static final String[] TEXTS = {"你好，我想了解会员卡", "请问双11有什么活动？", "订单什么时候发货",
        "I'd like to return the shoes, size 42 is too small", "谢谢！"};

    /** As the WeChat normalizer makes it from a text push. */
    static CustomerEvent textMessage(int i, SplittableRandom random) {
        long msgId = 6_000_000_000_000_000_000L + random.nextLong(1_000_000_000_000L);
        long time = 1_731_254_400L + i;
        return CustomerEvent.builder("wechat:wxb11529c136998cb6:" + msgId, EventTypes.MESSAGE_RECEIVED)
                .source("wechat", "brand-oa")
                .time(Instant.ofEpochSecond(time))
                .receivedAt(Instant.ofEpochSecond(time, 250_000_000L))
                .identity(Identity.of(IdentityTypes.WECHAT_OPENID, "o6_bmjrPTlm6_2sgVt7hM" + (100_000 + random.nextInt(900_000)),
                        "wxb11529c136998cb6").withEvidence(Evidence.VERIFIED))
                .message(new Message("text", TEXTS[i % TEXTS.length]))
                .extra("msgId", Long.toString(msgId))
                .build();
    }

    /** As a marketplace connector makes it from a paid order with three lines. */
    static CustomerEvent order(int i, SplittableRandom random) {
        String orderId = Long.toString(3_900_000_000_000_000L + random.nextLong(100_000_000_000_000L));
        long time = 1_731_254_400L + i;
        List<Order.OrderLine> lines = List.of(
                new Order.OrderLine("sku-" + random.nextInt(10_000), "跑鞋 Air 42码", 1, 59_900, "50012043"),
                new Order.OrderLine("sku-" + random.nextInt(10_000), "运动袜 三双装", 2, 3_900, "50011894"),
                new Order.OrderLine("sku-" + random.nextInt(10_000), "会员礼盒", 1, 0, null));
        return CustomerEvent.builder("tmall:flagship:" + orderId + ":paid", EventTypes.ORDER_PAID)
                .source("tmall", "flagship")
                .time(Instant.ofEpochSecond(time))
                .receivedAt(Instant.ofEpochSecond(time + 1))
                .identity(Identity.of(IdentityTypes.TMALL_OUID, "AAH" + (10_000_000 + random.nextInt(90_000_000)) + "kT",
                        "flagship").withEvidence(Evidence.VERIFIED))
                .identity(Identity.phone("139" + (10_000_000 + random.nextInt(90_000_000))))
                .order(new Order(orderId, "WAIT_SELLER_SEND_GOODS", "CNY", 67_700, lines))
                .extra("shopId", "flagship")
                .build();
    }
}
