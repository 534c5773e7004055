package io.omnihub.crm.automation;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.crm.ApplyListener;
import io.omnihub.crm.BatchResult;
import io.omnihub.crm.CrmException;
import io.omnihub.crm.jdbc.Transactions;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automation half of the CRM core (DESIGN §5): rules, tags, scores, RFM, segments and journeys
 * with durable timers, and the outbox of actions for the channels. Thread-safe; any number of hub
 * nodes may share one database.
 *
 * <ul>
 *   <li>{@link io.omnihub.crm.CrmCore#apply} calls {@link #applied} inside its transaction, so what
 *       rules and journeys do commits with the events that caused it (exactly-once effect).</li>
 *   <li>{@link #timers()} fires due timers, each in its own transaction, claimed with
 *       {@code FOR UPDATE SKIP LOCKED}: one node fires a timer however many run.</li>
 *   <li>{@link #outbox()} hands planned channel actions to an {@link ActionQueue}; the dispatcher
 *       claims and reports back through {@link #ledger()}.</li>
 *   <li>{@link #sweep()} keeps segments over the time and RFM recency current without events, once
 *       per period across the cluster, and backfills new or changed segments.</li>
 *   <li>{@link #tasks()} are the staff's follow-ups; {@link #views()} what operators read of
 *       journeys and segments.</li>
 * </ul>
 * Time is the injected clock's, so tests move time instead of waiting.
 */
public final class Automation implements ApplyListener {

    private static final Logger LOG = LoggerFactory.getLogger(Automation.class);
    /** Tries of a transaction that lost a lock race (serialization failure, deadlock, lock timeout). */
    static final int MAX_ATTEMPTS = 8;

    private final Clock clock;
    private final GuardSettings guards;
    private final JourneyVersions versions = new JourneyVersions();
    private final AtomicReference<Definitions> definitions = new AtomicReference<>(Definitions.NONE);
    private final JourneyTimers timers;
    private final ActionOutbox outbox;
    private final ActionLedger ledger;
    private final StaffTasks tasks;
    private final AutomationViews views;
    private final SegmentSweep sweep;
    private final Transactions tx;
    private final TraitBackfill traits;

    public Automation(DataSource ds, Clock clock, GuardSettings guards) {
        Transactions tx = new Transactions(Objects.requireNonNull(ds, "ds"), Transactions.Retry.lockRaces(MAX_ATTEMPTS), CrmException::new);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.guards = Objects.requireNonNull(guards, "guards");
        this.timers = new JourneyTimers(tx, clock, this);
        this.outbox = new ActionOutbox(tx, clock, guards);
        this.ledger = new ActionLedger(tx, clock);
        this.tasks = new StaffTasks(tx, clock);
        this.views = new AutomationViews(tx);
        this.sweep = new SegmentSweep(tx, clock, this);
        this.tx = tx;
        this.traits = new TraitBackfill(tx, clock, definitions::get);
    }

    /** Puts {@code next} in force for everything evaluated from now on; running enrollments keep their version. */
    public void use(Definitions next) {
        definitions.set(Objects.requireNonNull(next, "next"));
    }

    public Definitions definitions() {
        return definitions.get();
    }

    public GuardSettings guards() {
        return guards;
    }

    public Clock clock() {
        return clock;
    }

    /** The journeys' waits and the tasks' escalations. */
    public JourneyTimers timers() {
        return timers;
    }

    /** Planned channel actions on their way to the dispatcher. */
    public ActionOutbox outbox() {
        return outbox;
    }

    /** What became of each action. */
    public ActionLedger ledger() {
        return ledger;
    }

    /** Staff tasks. */
    public StaffTasks tasks() {
        return tasks;
    }

    /** Keeps windowed traits' counters in step with their definitions (backfills, recounts after unmerges). */
    public TraitBackfill traits() {
        return traits;
    }

    /** Segments and RFM kept current as time passes: the periodic sweep and the backfill of new segments. */
    public SegmentSweep sweep() {
        return sweep;
    }

    /** Enrollments and segment members. */
    public AutomationViews views() {
        return views;
    }

    /**
     * What {@code candidate} (one rule, journey or segment, parsed with
     * {@link DefinitionParser#parseOne}) would do for {@code customerId} now, with {@code event}
     * (null: the customer's latest fitting event), found by running it in a transaction that is rolled
     * back: nothing is kept, nothing is sent.
     *
     * @throws java.util.NoSuchElementException when there is no such customer
     * @throws DefinitionException              when the candidate does not fit with the definitions in force
     */
    public DryRun.Result dryRun(DefinitionFile candidate, String customerId, CustomerEvent event) {
        java.util.UUID customer = Uuids.parse(customerId).orElseThrow(() -> new java.util.NoSuchElementException("no customer " + customerId));
        return new DryRun(definitions.get(), guards, versions).run(tx, clock.instant(), candidate, customer, event);
    }

    /** One evaluation of the definitions in force, on the caller's transaction. */
    AutomationRun run(Connection c, Instant now) {
        return new AutomationRun(c, now, definitions.get(), versions, guards);
    }

    /**
     * Runs rules, RFM, segments and journeys for the events of a batch the CRM core applied, inside
     * the core's transaction on {@code c} (the customers' rows are locked by it).
     */
    @Override
    public void applied(Connection c, List<CustomerEvent> events, BatchResult result, Instant now) throws SQLException {
        Definitions in = definitions.get();
        Savepoint whole = c.setSavepoint();
        try {
            new AutomationRun(c, now, in, versions, guards).applied(events, result);
            c.releaseSavepoint(whole);
            return;
        } catch (RuntimeException | SQLException | StackOverflowError e) {
            if (!AutomationFailures.poison(e)) {
                throw e;
            }
            c.rollback(whole);
            LOG.error("automation failed for a batch of {} events ({}); running it event by event to isolate the cause",
                    events.size(), AutomationFailures.describe(e), AutomationFailures.loggable(e));
        }
        // A definition that trips over one event must not hold back the others, nor the events
        // themselves: they stay applied, and only the failing event's automation is skipped.
        for (int i = 0; i < events.size() && i < result.outcomes().size(); i++) {
            Savepoint one = c.setSavepoint();
            try {
                new AutomationRun(c, now, in, versions, guards).applied(List.of(events.get(i)), new BatchResult(List.of(result.outcomes().get(i))));
                c.releaseSavepoint(one);
            } catch (RuntimeException | SQLException | StackOverflowError e) {
                if (!AutomationFailures.poison(e)) {
                    throw e;
                }
                c.rollback(one);
                LOG.error("automation skipped for event {}: {}", events.get(i).id(), AutomationFailures.describe(e));
            }
        }
    }
}
