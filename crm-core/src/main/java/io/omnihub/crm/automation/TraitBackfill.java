package io.omnihub.crm.automation;

import io.omnihub.crm.SweepClaims;
import io.omnihub.crm.jdbc.SqlValues;
import io.omnihub.crm.jdbc.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings windowed traits' counters up to date with their definitions: a trait that is new (or whose
 * counting changed) is recounted once from the timelines of the customers who have events of its
 * types inside its window, once across the cluster ({@link SweepClaims}, job
 * {@code trait-backfill:<id>}, period = its fingerprint), in chunks of customers, each chunk in a
 * transaction holding those customers' row locks. Profiles an unmerge took events from are recounted
 * too (they are also recounted at their next event).
 */
public final class TraitBackfill {

    private static final Logger LOG = LoggerFactory.getLogger(TraitBackfill.class);
    /** Customers recounted per transaction. */
    static final int CHUNK = 500;
    /** How long a node may hold a backfill before another may take it over. */
    static final Duration LEASE = Duration.ofMinutes(15);

    private final Transactions tx;
    private final Clock clock;
    private final Supplier<Definitions> definitions;

    TraitBackfill(Transactions tx, Clock clock, Supplier<Definitions> definitions) {
        this.tx = tx;
        this.clock = clock;
        this.definitions = definitions;
    }

    /**
     * Backfills the traits in force whose counters were not built for their current definition yet
     * (those another node is at are left to it), then recounts up to {@link #CHUNK} profiles marked
     * by unmerges. Returns how many customers were recounted.
     */
    public int runDue(SweepClaims claims) {
        int recounted = 0;
        for (TraitDefinition trait : definitions.get().traits()) {
            String stored = tx.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("select fingerprint from crm_trait_state where trait = ?")) {
                    ps.setString(1, trait.id());
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                }
            });
            String job = "trait-backfill:" + trait.id();
            if (trait.fingerprint().equals(stored) || !claims.claim(job, trait.fingerprint(), LEASE)) {
                continue;
            }
            int n = backfill(trait);
            recounted += n;
            claims.finish(job, trait.fingerprint(), "recounted " + n + " customers");
            LOG.info("trait '{}' backfilled from the timelines of {} customers", trait.id(), n);
        }
        return recounted + recountMarked();
    }

    /** Recounts {@code trait} for every customer with events of its types in its window; returns how many. */
    int backfill(TraitDefinition trait) {
        Instant now = clock.instant();
        UUID after = new UUID(0, 0); // PostgreSQL orders uuids as unsigned bytes: this is the least
        int total = 0;
        while (true) {
            UUID from = after;
            List<UUID> chunk = tx.read(c -> {
                List<UUID> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        select distinct customer_id from crm_timeline
                         where type = any(?) and time >= ? and customer_id > ? order by customer_id limit ?
                        """)) {
                    ps.setArray(1, SqlValues.texts(c, trait.on()));
                    ps.setObject(2, SqlValues.utc(trait.since(now)));
                    ps.setObject(3, from);
                    ps.setInt(4, CHUNK);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getObject(1, UUID.class));
                        }
                    }
                }
                return out;
            });
            if (chunk.isEmpty()) {
                break;
            }
            total += tx.retrying(c -> {
                List<UUID> locked = lockActive(c, chunk);
                TraitRecount.recount(c, locked, List.of(trait), clock.instant());
                return locked.size();
            });
            after = chunk.get(chunk.size() - 1);
        }
        int customers = total;
        tx.retrying(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into crm_trait_state (trait, fingerprint, backfilled_at, customers) values (?, ?, ?, ?)
                    on conflict (trait) do update set fingerprint = excluded.fingerprint, backfilled_at = excluded.backfilled_at,
                                                      customers = excluded.customers
                    """)) {
                ps.setString(1, trait.id());
                ps.setString(2, trait.fingerprint());
                ps.setObject(3, SqlValues.utc(clock.instant()));
                ps.setLong(4, customers);
                ps.executeUpdate();
            }
            return null;
        });
        return total;
    }

    /** Recounts profiles marked by unmerges that had no event since; returns how many. */
    int recountMarked() {
        if (definitions.get().traits().isEmpty()) {
            return 0;
        }
        return tx.retrying(c -> {
            List<UUID> marked = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select customer_id from crm_trait_recount order by customer_id limit ?")) {
                ps.setInt(1, CHUNK);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        marked.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            if (marked.isEmpty()) {
                return 0;
            }
            List<UUID> locked = lockActive(c, marked);
            TraitRecount.takeMarked(c, marked);
            TraitRecount.recount(c, locked, definitions.get().traits(), clock.instant());
            return locked.size();
        });
    }

    private static List<UUID> lockActive(java.sql.Connection c, List<UUID> ids) throws java.sql.SQLException {
        List<UUID> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select id from crm_customer where id = any(?) and status = 'active' order by id for update")) {
            ps.setArray(1, SqlValues.uuids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }
}
