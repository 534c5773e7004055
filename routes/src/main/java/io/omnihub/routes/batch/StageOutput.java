package io.omnihub.routes.batch;

import io.omnihub.routes.broker.BrokerMessage;

/**
 * Where a stage sends what it produced. Messages sent here commit together with the acknowledgement
 * of the batch that produced them: either both happen or neither does.
 */
@FunctionalInterface
public interface StageOutput {

    void send(BrokerMessage message);
}
