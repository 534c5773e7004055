package io.omnihub.connector.source;

import java.time.Duration;
import java.util.Optional;

/**
 * Pulls records from a channel that does not push.
 *
 * <p>The hub runs one poller per instance across the whole cluster. It passes the last committed
 * checkpoint, persists the returned records, and only then commits {@link PollResult#nextCheckpoint()};
 * after a crash the same checkpoint is offered again, so a poller must be able to repeat a batch
 * (events carry deterministic ids, so repeats have no effect).
 */
public interface Poller {

    /**
     * Fetches the next batch after {@code checkpoint}.
     *
     * @param checkpoint the last committed checkpoint, empty on the very first poll
     */
    PollResult poll(Optional<String> checkpoint);

    /**
     * Tells the poller that {@code checkpoint} is committed: every record returned up to it is
     * durable in the hub. Called after each commit, on the node that polled. A poller that must
     * tidy up the source once records are safe (move a finished file to {@code done/}, confirm
     * messages to a queue) does it here; nothing is lost if a crash skips the call, because the
     * next poll starts from the committed checkpoint and can tidy up then.
     *
     * @param checkpoint the checkpoint just committed
     */
    default void committed(String checkpoint) {
    }

    /** How long the hub waits between polls when the last result had no more data. */
    default Duration interval() {
        return Duration.ofMinutes(1);
    }
}
