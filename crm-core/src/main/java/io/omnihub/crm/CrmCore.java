package io.omnihub.crm;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.crm.jdbc.SqlStates;
import io.omnihub.crm.jdbc.Transactions;
import io.omnihub.crm.jdbc.Uuids;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRM core: applies canonical events to the identity graph and profiles, and reads the single
 * customer view. Thread-safe; any number of instances (threads, hub nodes) may share one database.
 * See crm-core/README.md for the schema, the linking rules and the merge strategies.
 */
public final class CrmCore {
    private static final Logger LOG = LoggerFactory.getLogger(CrmCore.class);

    /** How many timeline entries {@link #customer(String)} includes (newest first). */
    public static final int VIEW_TIMELINE_LIMIT = 100;
    /** How often a batch is tried again after a serialization failure, deadlock or unique race. */
    public static final int MAX_ATTEMPTS = 12;

    private final IdentityPolicy policy;
    private final Clock clock;
    private final ApplyListener listener;
    private final Transactions tx;
    private final CustomerReader reader;
    private final ProfileEdits edits;
    private final ProfileMerger merger = new ProfileMerger();
    private final SharedIdentifiers shared;
    private final Suppressions suppressions;
    private final Erasures erasures;
    private final TimelinePartitions timelinePartitions;

    public CrmCore(DataSource ds, IdentityPolicy policy, Clock clock) {
        this(ds, policy, clock, null);
    }

    /**
     * A core that also runs {@code listener} (the automation engine: rules, segments, journeys) for
     * every batch it applies, in the batch's transaction, so what it does commits with the events that
     * caused it.
     */
    public CrmCore(DataSource ds, IdentityPolicy policy, Clock clock, ApplyListener listener) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = listener;
        this.tx = new Transactions(Objects.requireNonNull(ds, "ds"), Transactions.Retry.lockAndKeyRaces(MAX_ATTEMPTS), CrmException::new);
        this.reader = new CustomerReader(tx, policy);
        this.edits = new ProfileEdits(tx, clock);
        this.shared = new SharedIdentifiers(tx, policy, clock);
        this.suppressions = new Suppressions(tx, clock);
        this.erasures = new Erasures(tx);
        this.timelinePartitions = new TimelinePartitions(ds);
    }

    public IdentityPolicy policy() {
        return policy;
    }

    /**
     * Applies a batch in ONE database transaction, idempotent per event id (processed ids are recorded
     * in the same transaction). An event that fails on its own (bad data, policy) is REJECTED with a
     * reason and the others apply. Serialization failures, deadlocks and unique-key races are retried
     * internally.
     *
     * @throws CrmException when the database cannot be used (nothing applied: redeliver the batch)
     */
    public BatchResult apply(List<CustomerEvent> events) {
        if (events.isEmpty()) {
            return new BatchResult(List.of());
        }
        timelinePartitions.ensureFor(clock.instant());
        boolean isolate = false;
        for (int attempt = 1; ; attempt++) {
            try {
                final boolean iso = isolate;
                return tx.once(c -> {
                    Instant now = clock.instant();
                    BatchResult result = new BatchRun(c, policy, now, iso, suppressions).run(events);
                    if (listener != null) {
                        listener.applied(c, events, result, now);
                    }
                    return result;
                });
            } catch (SQLException e) {
                if (tx.worthAnotherTry(e, attempt)) {
                    LOG.debug("batch attempt {} lost a race ({}), retrying", attempt, SqlStates.state(e));
                    tx.backoff(attempt);
                } else if (!isolate && SqlStates.dataError(e)) {
                    LOG.info("batch hit bad data ({}), applying event by event to isolate it", e.getMessage());
                    isolate = true;
                } else {
                    throw new CrmException("could not apply batch of " + events.size() + " events: " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * Merges two profiles by hand (an operator's decision): the older survives, the other becomes its
     * alias. Audited like any merge and undoable with {@link #unmerge(String)}.
     */
    public MergeRecord merge(String customerIdA, String customerIdB, String reason) {
        UUID a = Uuids.parse(customerIdA).orElseThrow(() -> new IllegalArgumentException("not a customer id: " + customerIdA));
        UUID b = Uuids.parse(customerIdB).orElseThrow(() -> new IllegalArgumentException("not a customer id: " + customerIdB));
        UUID ra = resolveOrThrow(a);
        UUID rb = resolveOrThrow(b);
        if (ra.equals(rb)) {
            throw new IllegalStateException("already the same customer: " + ra);
        }
        UUID audit = tx.retrying(c -> new BatchRun(c, policy, clock.instant(), false)
                .manualMerge(ra, rb, reason == null || reason.isBlank() ? "manual" : reason)[0]);
        return merges(ra.toString()).stream().filter(m -> m.id().equals(audit.toString())).findFirst().orElseThrow();
    }

    /**
     * Undoes a merge: the merged profile comes back with the identities, unlinked identifiers,
     * timeline entries and orders it brought; tags it brought and its scores are taken off the
     * survivor; attributes and consent it brought are reverted on the survivor unless they changed
     * since. What arrived after the merge stays on the survivor. The two are then blocked from being
     * merged again by events.
     *
     * @throws NoSuchElementException when there is no such merge
     * @throws IllegalStateException  when it was undone already
     */
    public MergeRecord unmerge(String mergeAuditId) {
        return unmerge(mergeAuditId, "undone by an operator");
    }

    /** {@link #unmerge(String)}, recording why ({@code reason}) on the merge's audit record. */
    public MergeRecord unmerge(String mergeAuditId, String reason) {
        UUID audit = Uuids.parse(mergeAuditId).orElseThrow(() -> new NoSuchElementException("no merge " + mergeAuditId));
        tx.retrying(c -> {
            merger.unmerge(c, audit, reason == null || reason.isBlank() ? "undone by an operator" : reason.strip(), clock.instant());
            return null;
        });
        return reader.mergeRecord(audit).orElseThrow();
    }

    /**
     * Identifiers found to be shared by several people, newest first, with the evidence.
     *
     * @param status {@code detected}, {@code confirmed}, {@code overruled}, or null for all
     */
    public List<SharedIdentifierView> sharedIdentifiers(String status, int limit) {
        return shared.list(status, limit);
    }

    /**
     * An operator's decision on a shared identifier: confirmed (it never links), or overruled (it
     * links again from the next event on; what was split stays split, merge by hand where needed).
     *
     * @throws NoSuchElementException when the identifier is not on the list
     */
    public SharedIdentifierView decideShared(String type, String value, String namespace, boolean confirm, String by, String note) {
        return shared.decide(type, value, namespace, confirm, by, note);
    }

    /** Adds a tag to a profile (follows aliases); false when it had it already. */
    public boolean addTag(String customerId, String tag) {
        return edits.addTag(customerId, tag);
    }

    /** Removes a tag from a profile (follows aliases); false when it did not have it. */
    public boolean removeTag(String customerId, String tag) {
        return edits.removeTag(customerId, tag);
    }

    /** Adds {@code delta} to a score of a profile (follows aliases) and returns the new value. */
    public long addScore(String customerId, String name, long delta) {
        return edits.addScore(customerId, name, delta);
    }

    /** The single customer view; a merged id gives the surviving profile. */
    public Optional<CustomerView> customer(String customerId) {
        return reader.customer(customerId);
    }

    /**
     * The profile an identity belongs to (phones and e-mails are normalized first). Without a
     * namespace, a namespaced identity is found when exactly one namespace has the value.
     *
     * @throws AmbiguousIdentityException when no namespace was given and several namespaces have it
     */
    public Optional<CustomerView> findByIdentity(String type, String value, String namespace) {
        return reader.findByIdentity(type, value, namespace);
    }

    /** A page of a profile's timeline, newest first. */
    public List<TimelineEntry> timeline(String customerId, int offset, int limit) {
        return reader.timeline(customerId, offset, limit);
    }

    /** A page of a profile's orders with their lines, newest first (a merged id gives the surviving profile's). */
    public List<OrderView> orders(String customerId, int offset, int limit) {
        return reader.orders(customerId, offset, limit);
    }

    /**
     * A page of a profile's consent history: every statement its events made (and those of the
     * profiles merged into it), newest first by the time it was made; a merged id gives the surviving
     * profile's.
     */
    public List<ConsentStatement> consentHistory(String customerId, int offset, int limit) {
        return reader.consentHistory(customerId, offset, limit);
    }

    /** The merges a profile took part in (as survivor, directly or through merged profiles, or as merged), newest first. */
    public List<MergeRecord> merges(String customerId) {
        return reader.merges(customerId);
    }

    /**
     * Erases a customer (PIPL / GDPR): the profile, every profile merged into it, and everything the
     * core holds about them, in one transaction; their identifiers go on the suppression list as
     * keyed hashes, so later events carrying them are not applied (on every node at once), until
     * an operator lifts a suppression. Writes an erasure record without personal data.
     *
     * @param customerId any id of the customer (a merged-away id erases the surviving profile)
     * @param by         who asks
     * @param reason     why (required)
     * @return the record, and the erased identifiers for scrubbing what waits outside the database
     * @throws NoSuchElementException   when there is no such customer
     * @throws IllegalArgumentException when the reason is missing
     */
    public ErasureOutcome erase(String customerId, String by, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an erasure needs a reason");
        }
        UUID id = Uuids.parse(customerId).orElseThrow(() -> new NoSuchElementException("no customer " + customerId));
        CustomerEraser eraser = new CustomerEraser(suppressions);
        ErasureOutcome outcome = tx.retrying(c -> eraser.erase(c, id, by == null || by.isBlank() ? "unknown" : by, reason.strip(), clock.instant()));
        LOG.info("customer {} erased ({} profile(s)) by {}, erasure {}", id, outcome.record().profiles().size(), outcome.record().erasedBy(),
                outcome.record().id());
        return outcome;
    }

    /** Adds counts of what was removed outside the database (queued messages) to an erasure's record. */
    public void recordErasureCounts(String erasureId, java.util.Map<String, Long> counts) {
        erasures.addCounts(erasureId, counts);
    }

    /** Erasure records, newest first. */
    public List<ErasureRecord> erasures(int limit) {
        return erasures.list(limit);
    }

    /** The suppression list without values, newest first; lifted suppressions too when {@code includeLifted}. */
    public List<SuppressionView> suppressions(boolean includeLifted, int limit) {
        return suppressions.list(includeLifted, limit);
    }

    /**
     * Whether any of {@code identities} (normalized as events' identities are; invalid ones are
     * skipped) is on the suppression list: for stages before the core that would otherwise call a
     * channel about an erased customer. Counts no hit: the event is counted when it reaches the core.
     */
    public boolean suppressed(List<io.omnihub.connector.event.Identity> identities) {
        List<IdKey> keys = new java.util.ArrayList<>();
        for (io.omnihub.connector.event.Identity identity : identities) {
            if (identity != null) {
                policy.normalize(identity).ifPresent(n -> keys.add(IdKey.of(n)));
            }
        }
        return !keys.isEmpty() && suppressions.any(keys);
    }

    /**
     * Lifts a suppression: events carrying its identifier apply again from the next batch on.
     *
     * @throws NoSuchElementException when there is no such suppression
     * @throws IllegalStateException  when it was lifted already
     */
    public SuppressionView liftSuppression(String suppressionId, String by, String reason) {
        return suppressions.lift(suppressionId, by, reason);
    }

    /**
     * Lifts the suppression of the identifier given by value (normalized as events' identities are):
     * operators see no values on the list, so the one who knows the value presents it.
     *
     * @return the lifted suppression, empty when that identifier is not suppressed
     * @throws IllegalArgumentException when the value is not a valid identifier of its type
     */
    public Optional<SuppressionView> liftSuppression(String type, String value, String namespace, String by, String reason) {
        io.omnihub.connector.event.Identity normalized = policy.normalize(new io.omnihub.connector.event.Identity(type, value, namespace))
                .orElseThrow(() -> new IllegalArgumentException("not a valid " + type + " identifier"));
        return suppressions.liftByValue(IdKey.of(normalized), by, reason);
    }

    private UUID resolveOrThrow(UUID id) {
        return tx.read(c -> ProfileAliases.resolve(c, id)).orElseThrow(() -> new NoSuchElementException("no customer " + id));
    }
}
