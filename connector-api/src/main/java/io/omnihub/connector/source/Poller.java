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

    /** How long the hub waits between polls when the last result had no more data. */
    default Duration interval() {
        return Duration.ofMinutes(1);
    }
}
