package io.omnihub.connectors.tmall;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.source.RawRecord;
import java.time.Instant;

/** The connector instance the events come from; starts each event with its source and times. */
record EventOrigin(String connectorId, String instanceId) {

    CustomerEvent.Builder start(String id, String type, Instant time, RawRecord record) {
        return CustomerEvent.builder(id, type)
                .source(connectorId, instanceId)
                .time(time)
                .receivedAt(record.receivedAt());
    }
}
