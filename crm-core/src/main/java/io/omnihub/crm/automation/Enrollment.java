package io.omnihub.crm.automation;

import io.omnihub.connector.event.CustomerEvent;
import java.time.Instant;
import java.util.UUID;

/** An enrollment as a transaction holds it (its row locked). */
final class Enrollment {
    final UUID id;
    final String journeyId;
    final String version;
    UUID customerId;
    String status;
    String step;
    String waiting;
    int waitSeq;
    final String triggerEventId;
    final String triggerEventJson;
    final Instant startedAt;
    private CustomerEvent trigger;

    Enrollment(UUID id, String journeyId, String version, UUID customerId, String status, String step, String waiting, int waitSeq,
               String triggerEventId, String triggerEventJson, Instant startedAt) {
        this.id = id;
        this.journeyId = journeyId;
        this.version = version;
        this.customerId = customerId;
        this.status = status;
        this.step = step;
        this.waiting = waiting;
        this.waitSeq = waitSeq;
        this.triggerEventId = triggerEventId;
        this.triggerEventJson = triggerEventJson;
        this.startedAt = startedAt;
    }

    boolean active() {
        return "active".equals(status);
    }

    CustomerEvent trigger() {
        if (trigger == null) {
            trigger = CelValues.readEvent(triggerEventJson);
        }
        return trigger;
    }

    static final String COLUMNS = "id, journey_id, version, customer_id, status, step, waiting, wait_seq, trigger_event_id, trigger_event, started_at";

    static Enrollment read(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Enrollment(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getObject(4, UUID.class),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getString(10),
                rs.getObject(11, java.time.OffsetDateTime.class).toInstant());
    }
}
