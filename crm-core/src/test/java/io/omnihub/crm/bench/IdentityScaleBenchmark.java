package io.omnihub.crm.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Order;
import io.omnihub.crm.CrmCore;
import io.omnihub.crm.CrmSchema;
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.crm.bench.SyntheticCustomers.Kind;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Whether the cost of applying an event stays flat as the identity graph grows: events applied per
 * second by {@code CrmCore.apply} (batches of 500, one thread, embedded PostgreSQL 17 with the hub's
 * settings) on a graph of 100 thousand identifiers and on one of 10 million, with the same event mix.
 *
 * <p>Each graph is bulk-loaded by {@link IdentityGraphLoad}. The large one is kept in
 * {@code target/identity-scale/} (a later run reuses it; {@code --reload} loads it again); the small
 * one is loaded afresh every run. The mix, per event: 85% a known customer, drawn uniformly from the
 * whole graph, on one of their channels (WeChat message, Douyin message, Tmall order, store purchase,
 * ERP profile update); 8% a new customer; 4% a known customer with a new e-mail address; 3% a WeChat
 * follower binding a member card another profile holds (the two profiles merge).
 *
 * <p>Both graphs run at once, each on its own server, and the measured events are applied in rounds
 * that alternate between them (small then large, large then small, ...): the machine's speed drifts
 * by a fifth over minutes here, and a ratio of neighbouring rounds is not fooled by it. The figures
 * are the medians over the rounds.
 *
 * <p>Arguments: {@code [large identifiers] [small identifiers] [events] [warm-up events] [--reload]
 * [--statements] [--shared-buffers=SIZE] [--rounds=N] [--prewarm] [--setting=name=value]}, defaults 10,000,000, 100,000, 60,000,
 * 20,000 and 4 rounds; {@code --prewarm} reads every index into the servers' shared buffers before
 * measuring (meant with a {@code --shared-buffers} that holds them); {@code --setting=name=value}
 * (repeatable) gives both servers a server setting;
 * {@code --statements} loads pg_stat_statements and prints the statements that took the most time at
 * each size; {@code --shared-buffers} gives both servers another shared_buffers than the hub's
 * embedded server's ({@link Server#hubSharedBuffers()}). The directory
 * is {@code target/identity-scale}, or the system property {@code identity-scale.dir}.
 */
public final class IdentityScaleBenchmark {

    /** What one graph size gave: events/s in each round, in order. */
    record Measured(long identifiers, List<Double> rounds, double hitRatio, String sizes, double loadSeconds, boolean reused) {
        double median() {
            return IdentityScaleBenchmark.median(rounds);
        }
    }

    /** Whether each graph's files are read once before measuring, as a running database's would be cached. */
    private static boolean warmCache = true;
    /** Whether every index is read into PostgreSQL's own buffers before measuring (pg_prewarm), as a long-running server's hot pages would be. */
    private static boolean prewarm;

    /** Reads every file under {@code dir} once (into the OS page cache); returns the bytes read. */
    private static long readOnce(Path dir) throws java.io.IOException {
        long bytes = 0;
        byte[] buffer = new byte[1 << 20];
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                try (java.io.InputStream in = Files.newInputStream(file)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        bytes += n;
                    }
                } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException gone) {
                    // a temporary file of the server, gone or private: nothing to cache
                }
            }
        }
        return bytes;
    }

    private static String gigabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    public static void main(String[] args) throws Exception {
        List<String> plain = Stream.of(args).filter(a -> !a.startsWith("--")).toList();
        boolean reload = List.of(args).contains("--reload");
        boolean statements = List.of(args).contains("--statements");
        // A running hub's database is in memory after a while; a graph just loaded from disk is not.
        warmCache = !List.of(args).contains("--cold");
        prewarm = List.of(args).contains("--prewarm");
        String sharedBuffers = Stream.of(args).filter(a -> a.startsWith("--shared-buffers=")).map(a -> a.substring("--shared-buffers=".length()))
                .findFirst().orElse(null);
        long large = plain.size() > 0 ? Long.parseLong(plain.get(0)) : 10_000_000L;
        long small = plain.size() > 1 ? Long.parseLong(plain.get(1)) : 100_000L;
        int events = plain.size() > 2 ? Integer.parseInt(plain.get(2)) : 60_000;
        int warmup = plain.size() > 3 ? Integer.parseInt(plain.get(3)) : 20_000;
        Path base = Path.of(System.getProperty("identity-scale.dir", "target/identity-scale")).toAbsolutePath();
        long seed = System.currentTimeMillis();

        int rounds = Stream.of(args).filter(a -> a.startsWith("--rounds=")).map(a -> Integer.parseInt(a.substring("--rounds=".length())))
                .findFirst().orElse(4);

        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("shared_buffers", sharedBuffers != null ? sharedBuffers : Server.hubSharedBuffers());
        Stream.of(args).filter(a -> a.startsWith("--setting=")).map(a -> a.substring("--setting=".length()).split("=", 2))
                .forEach(kv -> settings.put(kv[0], kv[1]));
        Server server = new Server(statements, settings);
        try (Graph a = Graph.prepare(base.resolve("small"), small, true, events, warmup, seed, server);
             Graph b = Graph.prepare(base.resolve("large"), large, reload, events, warmup, seed, server)) {
            a.warmUp();
            b.warmUp();
            // Rounds alternate A B, B A, ...: a machine that slows down or speeds up over the run then
            // weighs on both sizes alike, and each round's ratio compares neighbours in time.
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                int from = round * events / rounds;
                int to = (round + 1) * events / rounds;
                double onSmall = 0;
                double onLarge = 0;
                for (Graph g : round % 2 == 0 ? List.of(a, b) : List.of(b, a)) {
                    double rate = g.apply(from, to);
                    if (g == a) {
                        onSmall = rate;
                    } else {
                        onLarge = rate;
                    }
                }
                ratios.add(onLarge / onSmall);
                System.out.printf("identity-scale: round %d of %d: %s %.0f events/s, %s %.0f events/s, ratio %.2f%n", round + 1, rounds,
                        label(small), onSmall, label(large), onLarge, onLarge / onSmall);
            }
            Measured ma = a.finish();
            Measured mb = b.finish();
            for (Measured m : List.of(ma, mb)) {
                System.out.printf("identity-scale: graph of %s identifiers: %s; %.0f events/s (median of %d rounds), buffer hit ratio %.4f; %s%n",
                        label(m.identifiers()), m.reused() ? "loaded by an earlier run" : "loaded in %.0f s".formatted(m.loadSeconds()),
                        m.median(), m.rounds().size(), m.hitRatio(), m.sizes());
            }
            System.out.printf("identity-scale: %s identifiers: %.0f events/s; %s identifiers: %.0f events/s; ratio %.2f"
                            + " (median of %d rounds, from %.2f to %.2f)%n",
                    label(ma.identifiers()), ma.median(), label(mb.identifiers()), mb.median(), median(ratios), rounds,
                    ratios.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    ratios.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? 0 : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** One graph on its own server, loaded (or kept from an earlier run), with the events to apply to it. */
    private static final class Graph implements AutoCloseable {
        private final long identifiers;
        private final EmbeddedPostgres pg;
        private final DataSource ds;
        private final boolean statements;
        private final List<CustomerEvent> all;
        private final int warmup;
        /** What the core applies through: the hub's pool; loading and statistics go through {@code ds}. */
        private final HikariDataSource pool;
        private final CrmCore core;
        private final double loadSeconds;
        private final boolean reused;
        private final List<Double> rounds = new ArrayList<>();
        private long measured;

        private Graph(long identifiers, EmbeddedPostgres pg, DataSource ds, boolean statements, List<CustomerEvent> all, int warmup,
                      double loadSeconds, boolean reused) {
            this.identifiers = identifiers;
            this.pg = pg;
            this.ds = ds;
            this.statements = statements;
            this.all = all;
            this.warmup = warmup;
            this.pool = HubPool.on(pg);
            this.core = new CrmCore(pool, IdentityPolicy.defaults(), Clock.systemUTC());
            this.loadSeconds = loadSeconds;
            this.reused = reused;
        }

        static Graph prepare(Path dir, long identifiers, boolean reload, int events, int warmup, long seed, Server server)
                throws Exception {
            Path marker = dir.resolve("loaded");
            String expected = "identifiers=" + identifiers;
            boolean reuse = !reload && Files.exists(marker) && Files.readString(marker).strip().equals(expected);
            if (!reuse) {
                deleteRecursively(dir);
            }
            Files.createDirectories(dir);
            EmbeddedPostgres pg = server.start(dir);
            try {
                DataSource ds = pg.getPostgresDatabase(Map.of("reWriteBatchedInserts", "true"));
                if (reuse && pendingMigrations(ds)) {
                    // loaded under an older schema: a migration run on it now would not shape the loaded rows as a fresh load does
                    System.out.println("identity-scale: the kept graph predates a migration of this tree: loading it again");
                    pg.close();
                    deleteRecursively(dir);
                    Files.createDirectories(dir);
                    pg = server.start(dir);
                    ds = pg.getPostgresDatabase(Map.of("reWriteBatchedInserts", "true"));
                    reuse = false;
                }
                CrmSchema.migrate(ds);
                double loadSeconds = 0;
                if (!reuse) {
                    System.out.printf("identity-scale: loading %s identifiers ...%n", label(identifiers));
                    loadSeconds = IdentityGraphLoad.load(ds, identifiers).seconds();
                    Files.writeString(marker, expected + "\n");
                }
                long customers = SyntheticCustomers.customersFor(identifiers);
                System.out.printf("identity-scale: graph of %s identifiers (%d customers, %s): applying %d + %d events%n", label(identifiers),
                        customers, settings(ds), warmup, events);
                if (warmCache) {
                    long warmedFrom = System.nanoTime();
                    System.out.printf("identity-scale: graph of %s identifiers: %s read into the OS page cache in %.0f s%n",
                            label(identifiers), gigabytes(readOnce(dir)), (System.nanoTime() - warmedFrom) / 1e9);
                }
                if (prewarm) {
                    long warmedFrom = System.nanoTime();
                    execute(ds, "create extension if not exists pg_prewarm");
                    String blocks = query(ds, "select sum(pg_prewarm(i.indexrelid))::text from pg_index i join pg_class t on t.oid = i.indrelid "
                            + "join pg_namespace n on n.oid = t.relnamespace where n.nspname = 'public'");
                    System.out.printf("identity-scale: graph of %s identifiers: %s index blocks read into shared buffers in %.0f s%n",
                            label(identifiers), blocks, (System.nanoTime() - warmedFrom) / 1e9);
                }
                SplittableRandom random = new SplittableRandom(seed);
                List<CustomerEvent> all = new EventMix(customers, seed, random).events(warmup + events);
                return new Graph(identifiers, pg, ds, server.statements(), all, warmup, loadSeconds, reuse);
            } catch (Exception | Error e) {
                pg.close();
                throw e;
            }
        }

        void warmUp() throws SQLException {
            CoreThroughputBenchmark.run(core, all.subList(0, warmup));
            execute(ds, "select pg_stat_reset()");
            execute(ds, "select pg_stat_reset_shared('wal')");
            execute(ds, "select pg_stat_reset_shared('checkpointer')");
            execute(ds, "select pg_stat_reset_shared('io')");
            if (statements) {
                execute(ds, "create extension if not exists pg_stat_statements");
                execute(ds, "select pg_stat_statements_reset()");
            }
        }

        /** Applies measured events {@code from} to {@code to} (after the warm-up's); returns events/s. */
        double apply(int from, int to) throws Exception {
            long start = System.nanoTime();
            long applied = CoreThroughputBenchmark.run(core, all.subList(warmup + from, warmup + to));
            double rate = applied / ((System.nanoTime() - start) / 1e9);
            rounds.add(rate);
            measured += to - from;
            return rate;
        }

        Measured finish() throws SQLException {
            System.out.printf("identity-scale: graph of %s identifiers: sequential scans while measuring: %s; updates on the page (HOT): %s;"
                    + " write-ahead log: %s; relation pages read, written and evicted: %s; pages read per event, by relation: %s%n",
                    label(identifiers), seqScans(ds), hotUpdates(ds), wal(ds), io(ds), readsByRelation(ds, measured));
            if (statements) {
                System.out.printf("identity-scale: graph of %s identifiers: statements by total time:%n%s%n", label(identifiers), topStatements(ds));
            }
            return new Measured(identifiers, List.copyOf(rounds), hitRatio(ds), sizes(ds), loadSeconds, reused);
        }

        @Override
        public void close() throws IOException {
            pool.close();
            pg.close();
        }
    }

    /**
     * PostgreSQL on a directory with the hub's embedded server's settings (EmbeddedPostgresServer), the rest
     * PostgreSQL's defaults; {@code settings} (from {@code --shared-buffers} and {@code --setting}) win over
     * those; with {@code statements}, pg_stat_statements joins whatever libraries they preload.
     */
    record Server(boolean statements, Map<String, String> settings) {

        /**
         * The embedded server's {@code shared_buffers} when the hub's settings leave it out, by the rule of
         * the hub's {@code EmbeddedPostgresServer.defaultSharedBuffers} (which crm-core cannot reach): a
         * sixteenth of the machine's memory, between 128 MB and 1 GB.
         */
        static String hubSharedBuffers() {
            long machine = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
            return Math.max(128, Math.min(1024, machine / 16 / (1024 * 1024))) + "MB";
        }
        EmbeddedPostgres start(Path dir) throws IOException {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir.resolve("pgdata"))
                    .setCleanDataDirectory(false)
                    // zonky starts every server with -F (fsync off); the hub's turns fsync back on,
                    // and so must a server that stands for it: with fsync off, evicting a dirty page
                    // never waits for the log to reach the disk.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()));
            settings.forEach(builder::setServerConfig);
            if (statements) {
                String preload = settings.getOrDefault("shared_preload_libraries", "");
                builder.setServerConfig("shared_preload_libraries", preload.isBlank() ? "pg_stat_statements" : preload + ",pg_stat_statements");
            }
            return builder.start();
        }
    }

    private static boolean pendingMigrations(DataSource ds) {
        return Flyway.configure().dataSource(ds).locations(CrmSchema.LOCATION).table(CrmSchema.HISTORY_TABLE).load().info().pending().length > 0;
    }

    /** The event mix of the class comment, over {@code customers} loaded customers. */
    static final class EventMix {
        private final long customers;
        private final String run;
        private final SplittableRandom random;
        private final Instant t0 = Instant.parse("2026-06-01T00:00:00Z");

        EventMix(long customers, long run, SplittableRandom random) {
            this.customers = customers;
            this.run = Long.toString(run, 36);
            this.random = random;
        }

        List<CustomerEvent> events(int count) {
            List<CustomerEvent> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(event(i));
            }
            return out;
        }

        private CustomerEvent event(int i) {
            String id = "bench-" + run + ":" + i;
            Instant at = t0.plusMillis(i * 50L);
            int r = random.nextInt(100);
            if (r < 85) {
                return onChannel(id, at, random.nextLong(customers), null);
            }
            if (r < 93) {
                return onChannel(id, at, customers + 1 + random.nextLong(100_000_000L), null);
            }
            if (r < 97) {
                return onChannel(id, at, random.nextLong(customers), Identity.of("email", "c" + run + "." + i + "@example.com")
                        .withEvidence(Evidence.STATED));
            }
            long follower = SyntheticCustomers.SHAPES * random.nextLong(customers / SyntheticCustomers.SHAPES);
            long member = SyntheticCustomers.SHAPES * random.nextLong(customers / SyntheticCustomers.SHAPES) + (random.nextBoolean() ? 3 : 5);
            return CustomerEvent.builder(id, EventTypes.IDENTITY_LINKED).source("pos", "bench").time(at).receivedAt(at)
                    .identity(Kind.MEMBER_CARD.identity(member)).identity(Kind.WECHAT_OPENID.identity(follower)).build();
        }

        /** An event of customer {@code p} on one of the channels they use, carrying {@code extra} when not null. */
        CustomerEvent onChannel(String id, Instant at, long p, Identity extra) {
            List<Kind> kinds = SyntheticCustomers.kinds(p);
            List<Kind> channels = kinds.stream().filter(k -> k != Kind.PHONE && k != Kind.WECHAT_UNIONID).toList();
            Kind via = channels.get(random.nextInt(channels.size()));
            String type = switch (via) {
                case TMALL_OUID -> EventTypes.ORDER_PAID;
                case MEMBER_CARD -> EventTypes.STORE_PURCHASED;
                case ERP_CUSTOMER -> EventTypes.PROFILE_UPDATED;
                default -> EventTypes.MESSAGE_RECEIVED;
            };
            CustomerEvent.Builder b = CustomerEvent.builder(id, type).source(via.source, "bench").time(at).receivedAt(at).identity(via.identity(p));
            switch (via) {
                case WECHAT_OPENID -> b.identity(Kind.WECHAT_UNIONID.identity(p)).message(new Message("text", "hello " + id));
                case DOUYIN_OPENID -> b.message(new Message("text", "hello " + id));
                case TMALL_OUID -> b.identity(Kind.PHONE.identity(p))
                        .order(new Order("T" + id, "WAIT_SELLER_SEND_GOODS", "CNY", 100 + random.nextInt(50_000), List.of()));
                case MEMBER_CARD -> b.identity(Kind.PHONE.identity(p)).attribute("store", "S" + (p % 40))
                        .order(new Order("P" + id, "COMPLETED", "CNY", 100 + random.nextInt(50_000), List.of()));
                case ERP_CUSTOMER -> b.identity(Kind.PHONE.identity(p)).attribute("tier", "gold");
                default -> throw new IllegalStateException("no channel event for " + via);
            }
            if (extra != null) {
                b.identity(extra);
            }
            return b.build();
        }
    }

    private static String settings(DataSource ds) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String name : List.of("shared_buffers", "work_mem", "effective_cache_size", "fsync", "synchronous_commit", "max_connections")) {
            out.add(name + " " + query(ds, "show " + name));
        }
        return String.join(", ", out);
    }

    private static double hitRatio(DataSource ds) throws SQLException {
        return Double.parseDouble(query(ds, "select coalesce(sum(blks_hit)::float8 / nullif(sum(blks_hit + blks_read), 0), 1) from pg_stat_database "
                + "where datname = current_database()"));
    }

    /** The tables read by sequential scans since the statistics were reset, with the rows those scans read. */
    private static String seqScans(DataSource ds) throws SQLException {
        return query(ds, "select coalesce(string_agg(format('%s %s scans, %s rows', relname, seq_scan, seq_tup_read), ', ' "
                + "order by seq_tup_read desc), 'none') from pg_stat_user_tables where seq_scan > 0");
    }

    /** The statements that took the most time while measuring: calls, mean milliseconds, shared blocks read per call. */
    private static String topStatements(DataSource ds) throws SQLException {
        return query(ds, """
                select string_agg(format('  %s calls, %s ms mean, %s blocks read per call: %s', calls, round(mean_exec_time::numeric, 3),
                                         round(shared_blks_read::numeric / calls, 1), left(regexp_replace(query, '\\s+', ' ', 'g'), 150)),
                                  E'\n' order by total_exec_time desc)
                  from (select * from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
                         order by total_exec_time desc limit 15) s""");
    }

    /**
     * WAL written since the statistics were reset, how much of it whole pages, the checkpoints, and the
     * log's writes and syncs (their milliseconds with {@code track_wal_io_timing} on).
     */
    private static String wal(DataSource ds) throws SQLException {
        return query(ds, "select format('%s MB, %s full-page images, %s checkpoints (%s requested), %s writes (%s ms), %s syncs (%s ms)', "
                + "round(w.wal_bytes / 1048576), w.wal_fpi, c.num_timed + c.num_requested, c.num_requested, w.wal_write, round(w.wal_write_time), "
                + "w.wal_sync, round(w.wal_sync_time)) from pg_stat_wal w, pg_stat_checkpointer c");
    }

    /**
     * Who moved relation pages between the server's buffers and the OS since the statistics were reset
     * (pg_stat_io): the backend applying the events, the background writer and the checkpointer, with
     * the milliseconds it spent when {@code track_io_timing} is on (0 when it is off). A backend that writes evicts a dirty
     * page itself, and must first have the log flushed up to that page's last change.
     */
    private static String io(DataSource ds) throws SQLException {
        return query(ds, """
                select string_agg(format('%s %s read (%s ms), %s written (%s ms), %s evicted, %s fsyncs', backend_type, coalesce(reads, 0),
                                         round(coalesce(read_time, 0)::numeric), coalesce(writes, 0), round(coalesce(write_time, 0)::numeric),
                                         coalesce(evictions, 0), coalesce(fsyncs, 0)),
                                  ', ' order by backend_type)
                  from (select backend_type, sum(reads) reads, sum(read_time) read_time, sum(writes) writes, sum(write_time) write_time,
                               sum(evictions) evictions, sum(fsyncs) fsyncs
                          from pg_stat_io where object = 'relation'
                           and backend_type in ('client backend', 'background writer', 'checkpointer')
                         group by backend_type) s""");
    }

    /** The tables and indexes whose pages the measured events read from outside the server's buffers, per event. */
    private static String readsByRelation(DataSource ds, long events) throws SQLException {
        return query(ds, """
                select coalesce(string_agg(format('%%s %%s', name, round(blocks::numeric / %d, 2)), ', ' order by blocks desc), 'none')
                  from (select relname || ' (table)' as name, heap_blks_read as blocks from pg_statio_user_tables
                        union all
                        select indexrelname, idx_blks_read from pg_statio_user_indexes) r
                 where blocks > 0""".formatted(Math.max(1, events)));
    }

    /** How many of the updates of the identity and profile tables stayed on their page (no index entries) since the statistics were reset. */
    private static String hotUpdates(DataSource ds) throws SQLException {
        return query(ds, "select string_agg(format('%s %s of %s', relname, n_tup_hot_upd, n_tup_upd), ', ' order by relname) "
                + "from pg_stat_user_tables where relname in ('crm_identity', 'crm_customer')");
    }

    private static String sizes(DataSource ds) throws SQLException {
        return query(ds, """
                select string_agg(format('%s %s + indexes %s', relname, pg_size_pretty(heap), pg_size_pretty(indexes)), ', ' order by relname)
                  from (select t.relname, sum(pg_table_size(p.relid)) heap, sum(pg_indexes_size(p.relid)) indexes
                          from pg_class t cross join lateral (select relid from pg_partition_tree(t.oid) union select t.oid) p
                         where t.relname in ('crm_customer', 'crm_identity', 'crm_identifier_peer', 'crm_processed_event', 'crm_timeline')
                         group by t.relname) s""")
                + "; database " + query(ds, "select pg_size_pretty(pg_database_size(current_database()))");
    }

    private static String query(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static String label(long identifiers) {
        if (identifiers % 1_000_000 == 0) {
            return identifiers / 1_000_000 + "M";
        }
        return identifiers % 1_000 == 0 ? identifiers / 1_000 + "k" : Long.toString(identifiers);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
