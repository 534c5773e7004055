package io.omnihub.crm.automation;

import java.util.List;

/** Where the outbox hands planned actions (the runtime: durable sends to {@code hub.actions}). */
@FunctionalInterface
public interface ActionQueue {

    /**
     * Persists {@code actions} durably; returns only when they are safe.
     *
     * @throws RuntimeException when they could not be persisted: the outbox keeps them for later
     */
    void enqueue(List<PlannedAction> actions);
}
