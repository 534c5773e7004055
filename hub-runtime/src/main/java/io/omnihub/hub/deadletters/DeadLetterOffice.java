package io.omnihub.hub.deadletters;

import io.omnihub.hub.logging.SecretValues;
import io.omnihub.hub.privacy.retention.QueueExpiry;
import io.omnihub.routes.DeadLetter;
import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.DeadLetterQueueBrowser;
import io.omnihub.routes.broker.Headers;
import io.omnihub.routes.privacy.PersonalDataMasker;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where operators deal with {@code hub.dlq}: list and filter parked messages, inspect one (personal
 * data masked), replay one or many to the queue of the stage that failed, discard one with an audit
 * record. Replays and discards are JMS transactions: the parked message is consumed by its id and the
 * copy sent on (or the audit row written) before the transaction commits, so a failure halfway
 * leaves the message parked.
 */
public class DeadLetterOffice {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterOffice.class);

    /** The queues a replay may send to. */
    static final Set<String> PIPELINE_QUEUES = Set.of(Queues.RAW, Queues.EVENTS, Queues.ENRICH, Queues.ACTIONS);
    /** Where each stage's input came from, for messages that do not say. */
    private static final Map<String, String> STAGE_INPUT = Map.of(
            "raw", Queues.RAW, "normalize", Queues.RAW, "core", Queues.EVENTS, "enrich", Queues.ENRICH, "dispatch", Queues.ACTIONS);
    /** Failure context a replay clears: the message starts over with a fresh attempt counter. */
    private static final List<String> CLEARED_ON_REPLAY = List.of(Headers.ATTEMPTS, Headers.FIRST_FAILURE_AT, Headers.STAGE,
            Headers.ERROR_CLASS, Headers.ERROR_MESSAGE, Headers.ORIGINAL_QUEUE, Headers.SCHEDULED_DELIVERY);
    /** Set on a replayed message: how often it was replayed, by whom, when. */
    public static final String REPLAYS = "hub_replays";
    public static final String REPLAYED_BY = "hub_replayed_by";
    public static final String REPLAYED_AT = "hub_replayed_at";
    /** Artemis' record of the address a message was on before the broker itself parked it. */
    private static final String BROKER_ORIGINAL_ADDRESS = "_AMQ_ORIG_ADDRESS";
    private static final int MAX_PAYLOAD_CHARS = 64 * 1024;
    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(2);

    private final ConnectionFactory connectionFactory;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration countTtl;
    private volatile CachedCounts counts;

    public DeadLetterOffice(ConnectionFactory connectionFactory, DataSource dataSource, Clock clock, Duration countTtl) {
        this.connectionFactory = connectionFactory;
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.countTtl = countTtl;
    }

    /**
     * A page of parked messages.
     *
     * @param depth    every message on {@code hub.dlq}
     * @param matching the messages the filter matches
     * @param messages up to {@code limit} of those, oldest first
     */
    public record Page(long depth, long matching, List<DeadLetter> messages) {
    }

    /** Parked messages matching {@code filter}, oldest first. */
    public Page list(DeadLetterFilter filter, int limit) {
        List<DeadLetter> page = new ArrayList<>();
        long depth = 0;
        long matching = 0;
        try (JMSContext context = connectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = context.createBrowser(context.createQueue(Queues.DLQ))) {
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                Message message = (Message) messages.nextElement();
                depth++;
                if (!matchesSelectorParts(filter, message)) {
                    continue;
                }
                // Matched against what operators are shown, so a filter cannot probe for a masked phone number.
                if (!filter.matchesError(message.getStringProperty(Headers.ERROR_CLASS), mask(message.getStringProperty(Headers.ERROR_MESSAGE)))) {
                    continue;
                }
                matching++;
                if (page.size() < limit) {
                    page.add(DeadLetterQueueBrowser.toDeadLetter(BrokerMessage.fromJms(Queues.DLQ, message), SecretValues.all()));
                }
            }
        } catch (JMSException | JMSRuntimeException e) {
            throw new IllegalStateException("could not browse " + Queues.DLQ + ": " + e.getMessage(), e);
        }
        return new Page(depth, matching, page);
    }

    // One browse serves both the depth and the page, so every part is matched here rather than by a
    // broker selector (which would hide the rest of the queue from the depth).
    private static boolean matchesSelectorParts(DeadLetterFilter filter, Message message) throws JMSException {
        if (filter.connector() != null && !filter.connector().equals(message.getStringProperty(Headers.CONNECTOR))) {
            return false;
        }
        if (filter.instance() != null && !filter.instance().equals(message.getStringProperty(Headers.INSTANCE))) {
            return false;
        }
        if (filter.stage() != null) {
            String stage = message.getStringProperty(Headers.STAGE);
            return "broker".equals(filter.stage()) ? stage == null : filter.stage().equals(stage);
        }
        return true;
    }

    /** One parked message in full, masked. */
    public Optional<DeadLetterDetail> show(String messageId) {
        try (JMSContext context = connectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = context.createBrowser(context.createQueue(Queues.DLQ), byId(messageId))) {
            Enumeration<?> messages = browser.getEnumeration();
            if (!messages.hasMoreElements()) {
                return Optional.empty();
            }
            Message message = (Message) messages.nextElement();
            BrokerMessage parked = BrokerMessage.fromJms(Queues.DLQ, message);
            Target target = targetOf(parked, message.getStringProperty(BROKER_ORIGINAL_ADDRESS));
            String text = new String(parked.body(), StandardCharsets.UTF_8);
            boolean truncated = text.length() > MAX_PAYLOAD_CHARS;
            Map<String, String> properties = new TreeMap<>();
            parked.properties().forEach((name, value) -> properties.put(name, mask(String.valueOf(value))));
            return Optional.of(new DeadLetterDetail(DeadLetterQueueBrowser.toDeadLetter(parked, SecretValues.all()), target.queue(), target.refusal(),
                    properties, mask(truncated ? text.substring(0, MAX_PAYLOAD_CHARS) : text), parked.body().length, truncated));
        } catch (JMSException | JMSRuntimeException e) {
            throw new IllegalStateException("could not browse " + Queues.DLQ + ": " + e.getMessage(), e);
        }
    }

    /**
     * The outcome of replaying one message.
     *
     * @param messageId the parked message's id
     * @param replayed  whether it was sent back
     * @param queue     where it went, when it was
     * @param problem   why not, when it was not
     */
    public record ReplayOutcome(String messageId, boolean replayed, String queue, String problem) {
    }

    /**
     * Sends a parked message back to the queue of the stage that failed, its properties kept and its
     * attempt counter reset; records who did it.
     *
     * @return empty when no parked message has this id
     */
    public Optional<ReplayOutcome> replay(String messageId, String actor) {
        // Decided on a browsed copy: taking the message and rolling back would hide it behind the
        // queue's redelivery delay and count a delivery against it.
        Optional<DeadLetterDetail> parkedNow = show(messageId);
        if (parkedNow.isEmpty()) {
            return Optional.empty();
        }
        if (parkedNow.get().replayTo() == null) {
            return Optional.of(new ReplayOutcome(messageId, false, null, parkedNow.get().replayRefusal()));
        }
        try (JMSContext context = connectionFactory.createContext(JMSContext.SESSION_TRANSACTED);
             JMSConsumer consumer = context.createConsumer(context.createQueue(Queues.DLQ), byId(messageId))) {
            Message message = consumer.receive(RECEIVE_TIMEOUT.toMillis());
            if (message == null) {
                return Optional.empty();
            }
            BrokerMessage parked = BrokerMessage.fromJms(Queues.DLQ, message);
            Target target = targetOf(parked, message.getStringProperty(BROKER_ORIGINAL_ADDRESS));
            if (target.queue() == null) {
                context.rollback();
                return Optional.of(new ReplayOutcome(messageId, false, null, target.refusal()));
            }
            Map<String, Object> changes = new HashMap<>();
            CLEARED_ON_REPLAY.forEach(name -> changes.put(name, null));
            changes.put(REPLAYS, parked.intProperty(REPLAYS, 0) + 1);
            changes.put(REPLAYED_BY, actor);
            changes.put(REPLAYED_AT, clock.millis());
            BrokerMessage replayed = parked.withQueue(target.queue(), changes);
            JMSProducer producer = context.createProducer();
            producer.send(context.createQueue(target.queue()), toJms(context, replayed));
            audit("REPLAYED", messageId, actor, null, parked, target.queue());
            context.commit();
            counts = null;
            log.info("Dead letter {} replayed to {} by {}", messageId, target.queue(), actor);
            return Optional.of(new ReplayOutcome(messageId, true, target.queue(), null));
        } catch (JMSException | JMSRuntimeException e) {
            throw new IllegalStateException("could not replay " + messageId + ": " + e.getMessage(), e);
        }
    }

    /** Replays each message by id; ids no longer parked are reported, not fatal. */
    public List<ReplayOutcome> replayAll(List<String> messageIds, String actor) {
        List<ReplayOutcome> outcomes = new ArrayList<>();
        for (String id : messageIds) {
            outcomes.add(replay(id, actor).orElse(new ReplayOutcome(id, false, null, "no parked message has this id")));
        }
        return outcomes;
    }

    /** Replays up to {@code limit} messages that match {@code filter}, oldest first. */
    public List<ReplayOutcome> replayMatching(DeadLetterFilter filter, int limit, String actor) {
        return replayAll(list(filter, limit).messages().stream().map(DeadLetter::messageId).toList(), actor);
    }

    /**
     * Removes a parked message for good and writes an audit row (who, when, why, what it was).
     *
     * @return the discarded message's summary, empty when no parked message has this id
     */
    public Optional<DeadLetter> discard(String messageId, String actor, String reason) {
        try (JMSContext context = connectionFactory.createContext(JMSContext.SESSION_TRANSACTED);
             JMSConsumer consumer = context.createConsumer(context.createQueue(Queues.DLQ), byId(messageId))) {
            Message message = consumer.receive(RECEIVE_TIMEOUT.toMillis());
            if (message == null) {
                return Optional.empty();
            }
            BrokerMessage parked = BrokerMessage.fromJms(Queues.DLQ, message);
            // The audit row first: a discard nobody can account for must not happen.
            long auditId = audit("DISCARDED", messageId, actor, reason, parked, null);
            try {
                context.commit();
            } catch (JMSRuntimeException e) {
                jdbc.update("DELETE FROM hub_dead_letter_audit WHERE id = ?", auditId);
                throw e;
            }
            counts = null;
            log.info("Dead letter {} discarded by {}: {}", messageId, actor, mask(reason));
            return Optional.of(DeadLetterQueueBrowser.toDeadLetter(parked, SecretValues.all()));
        } catch (JMSException | JMSRuntimeException e) {
            throw new IllegalStateException("could not discard " + messageId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes every parked message that first failed before {@code before} (or, without that
     * context, was parked before it), in transactions of {@code batchSize}, each with an audit row
     * as a discard by {@code actor}. For retention: a dead letter is personal data kept only as long
     * as an operator may still act on it.
     *
     * @return how many were removed
     */
    public long expire(Instant before, int batchSize, String actor, String reason) {
        long removed = new QueueExpiry(connectionFactory).remove(Queues.DLQ,
                QueueExpiry.olderThan(Headers.FIRST_FAILURE_AT, before.toEpochMilli()), batchSize, message -> {
                    long auditId = audit("DISCARDED", message.getJMSMessageID(), actor, reason, BrokerMessage.fromJms(Queues.DLQ, message), null);
                    return () -> jdbc.update("DELETE FROM hub_dead_letter_audit WHERE id = ?", auditId);
                });
        if (removed > 0) {
            counts = null;
        }
        return removed;
    }

    /**
     * One audit row.
     *
     * @param action       {@code REPLAYED} or {@code DISCARDED}
     * @param messageId    the parked message's id
     * @param actor        who did it
     * @param reason       why (discards), or null
     * @param at           when
     * @param stage        the stage that had failed
     * @param connector    its connector
     * @param instance     its instance
     * @param errorClass   its error's type
     * @param errorMessage its error, masked
     * @param targetQueue  where a replay sent it
     * @param payloadBytes the body's size
     * @param payloadSha256 the body's digest, to match it against a copy without keeping the body
     */
    public record AuditEntry(String action, String messageId, String actor, String reason, Instant at, String stage,
                             String connector, String instance, String errorClass, String errorMessage, String targetQueue,
                             int payloadBytes, String payloadSha256) {
    }

    /** The latest audit rows, newest first. */
    public List<AuditEntry> audit(int limit) {
        return jdbc.query("""
                SELECT action, message_id, actor, reason, at, stage, connector, instance, error_class, error_message,
                       target_queue, payload_bytes, payload_sha256
                FROM hub_dead_letter_audit ORDER BY at DESC, id DESC LIMIT ?""",
                (row, n) -> new AuditEntry(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getTimestamp(5).toInstant(), row.getString(6), row.getString(7), row.getString(8), row.getString(9),
                        row.getString(10), row.getString(11), row.getInt(12), row.getString(13)), limit);
    }

    /**
     * Dead letters per connector instance, for the board.
     *
     * @param depth         parked messages of the instance
     * @param lastError     the newest one's error (class: message, masked)
     * @param lastFailureAt when the newest one first failed
     */
    public record InstanceCount(long depth, String lastError, Instant lastFailureAt) {
    }

    /** Dead letters by {@code connector/instance}; recounted at most every {@code countTtl}. */
    public Map<String, InstanceCount> countsByInstance() {
        CachedCounts cached = counts;
        Instant now = clock.instant();
        if (cached != null && cached.at().plus(countTtl).isAfter(now)) {
            return cached.counts();
        }
        Map<String, InstanceCount> byInstance = new HashMap<>();
        try (JMSContext context = connectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = context.createBrowser(context.createQueue(Queues.DLQ))) {
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                Message message = (Message) messages.nextElement();
                String key = message.getStringProperty(Headers.CONNECTOR) + "/" + message.getStringProperty(Headers.INSTANCE);
                long firstFailure = message.propertyExists(Headers.FIRST_FAILURE_AT) ? message.getLongProperty(Headers.FIRST_FAILURE_AT) : 0;
                Instant failedAt = firstFailure == 0 ? Instant.ofEpochMilli(message.getJMSTimestamp()) : Instant.ofEpochMilli(firstFailure);
                String error = message.getStringProperty(Headers.ERROR_CLASS) == null
                        ? "the broker gave up after its maximum delivery attempts"
                        : message.getStringProperty(Headers.ERROR_CLASS) + ": " + message.getStringProperty(Headers.ERROR_MESSAGE);
                byInstance.merge(key, new InstanceCount(1, error, failedAt), (a, b) -> {
                    boolean newer = b.lastFailureAt().isAfter(a.lastFailureAt());
                    return new InstanceCount(a.depth() + b.depth(), newer ? b.lastError() : a.lastError(),
                            newer ? b.lastFailureAt() : a.lastFailureAt());
                });
            }
        } catch (JMSException | JMSRuntimeException e) {
            throw new IllegalStateException("could not browse " + Queues.DLQ + ": " + e.getMessage(), e);
        }
        byInstance.replaceAll((key, count) -> new InstanceCount(count.depth(), mask(count.lastError()), count.lastFailureAt()));
        Map<String, InstanceCount> result = Map.copyOf(byInstance);
        counts = new CachedCounts(now, result);
        return result;
    }

    private record CachedCounts(Instant at, Map<String, InstanceCount> counts) {
    }

    /** Where a replay of {@code parked} goes, or why it cannot. */
    static Target targetOf(BrokerMessage parked, String brokerOriginalAddress) {
        String stage = parked.stringProperty(Headers.STAGE);
        if ("ingress".equals(stage)) {
            return new Target(null, "an ingress dead letter is the channel's request as received, refused before any"
                    + " connector read it; replaying it would skip the webhook's checks. Have the channel send it again, or discard it");
        }
        String original = parked.stringProperty(Headers.ORIGINAL_QUEUE);
        if (original != null && PIPELINE_QUEUES.contains(original)) {
            return new Target(original, null);
        }
        if (stage != null && STAGE_INPUT.containsKey(stage)) {
            return new Target(STAGE_INPUT.get(stage), null);
        }
        if (brokerOriginalAddress != null && PIPELINE_QUEUES.contains(brokerOriginalAddress)) {
            return new Target(brokerOriginalAddress, null);
        }
        return new Target(null, "it does not say which queue it came from");
    }

    record Target(String queue, String refusal) {
    }

    private long audit(String action, String messageId, String actor, String reason, BrokerMessage parked, String targetQueue) {
        Long id = jdbc.queryForObject("""
                INSERT INTO hub_dead_letter_audit (action, message_id, actor, reason, at, stage, connector, instance,
                                                   error_class, error_message, target_queue, payload_bytes, payload_sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""", Long.class,
                action, messageId, actor, reason == null ? null : mask(reason), Timestamp.from(clock.instant()),
                parked.stringProperty(Headers.STAGE), parked.stringProperty(Headers.CONNECTOR), parked.stringProperty(Headers.INSTANCE),
                parked.stringProperty(Headers.ERROR_CLASS),
                parked.stringProperty(Headers.ERROR_MESSAGE) == null ? null : mask(parked.stringProperty(Headers.ERROR_MESSAGE)),
                targetQueue, parked.body().length, sha256(parked.body()));
        return id == null ? -1 : id;
    }

    private static Message toJms(JMSContext context, BrokerMessage message) throws JMSException {
        jakarta.jms.BytesMessage jms = context.createBytesMessage();
        jms.writeBytes(message.body());
        for (Map.Entry<String, Object> property : new LinkedHashMap<>(message.properties()).entrySet()) {
            jms.setObjectProperty(property.getKey(), property.getValue());
        }
        return jms;
    }

    private static String byId(String messageId) {
        return "JMSMessageID = " + DeadLetterFilter.quoted(messageId);
    }

    private static String mask(String text) {
        return text == null ? null : PersonalDataMasker.mask(text, SecretValues.all());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
