package io.omnihub.routes.poll;

import io.omnihub.routes.broker.BrokerMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where polled records are made durable; the future completes once every message is. */
@FunctionalInterface
public interface RecordSink {

    CompletableFuture<Void> appendAll(List<BrokerMessage> messages);
}
