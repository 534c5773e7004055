package io.omnihub.crm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Work that runs once per period across every node sharing the database: a daily retention sweep,
 * the time-based segment sweep, a backfill. Each node asks to {@link #claim} the (job, period); the
 * one whose row lands runs the work and {@link #finish finishes} it. A claim that was never finished
 * (its node died) may be taken over once its lease has run out, so a period is not lost to a crash.
 */
public final class SweepClaims {

    private final DataSource ds;
    private final Clock clock;
    private final String node;

    /**
     * @param node the name this node records on its claims (shown to operators)
     */
    public SweepClaims(DataSource ds, Clock clock, String node) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.node = Objects.requireNonNull(node, "node");
    }

    /**
     * Claims {@code job} for {@code period} (for example {@code 2026-12-06}) for {@code lease}: true
     * when this node should run it now, false when another node has it or it is finished.
     */
    public boolean claim(String job, String period, Duration lease) {
        Instant now = clock.instant();
        Timestamp until = Timestamp.from(now.plus(lease));
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into crm_sweep_claim (job, period, node, claimed_at, lease_until)
                     values (?, ?, ?, ?, ?)
                     on conflict (job, period) do update
                        set node = excluded.node, claimed_at = excluded.claimed_at, lease_until = excluded.lease_until
                      where crm_sweep_claim.finished_at is null and crm_sweep_claim.lease_until < ?""")) {
            ps.setString(1, job);
            ps.setString(2, period);
            ps.setString(3, node);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, until);
            ps.setTimestamp(6, Timestamp.from(now));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new CrmException("could not claim " + job + " for " + period + ": SQLSTATE " + e.getSQLState(), e);
        }
    }

    /** Marks this node's claim on ({@code job}, {@code period}) finished, with a short outcome for operators. */
    public void finish(String job, String period, String outcome) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "update crm_sweep_claim set finished_at = ?, outcome = ? where job = ? and period = ? and node = ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, outcome);
            ps.setString(3, job);
            ps.setString(4, period);
            ps.setString(5, node);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CrmException("could not finish " + job + " for " + period + ": SQLSTATE " + e.getSQLState(), e);
        }
    }

    /** When {@code job} last finished a period, and its outcome; empty when it never did. */
    public Optional<Finished> lastFinished(String job) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select period, node, finished_at, outcome from crm_sweep_claim
                      where job = ? and finished_at is not null order by finished_at desc limit 1""")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Finished(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new CrmException("could not read the claims of " + job + ": SQLSTATE " + e.getSQLState(), e);
        }
    }

    /** A finished period of a job. */
    public record Finished(String period, String node, Instant at, String outcome) {
    }
}
