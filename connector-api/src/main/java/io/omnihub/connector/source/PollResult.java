package io.omnihub.connector.source;

import java.util.List;
import java.util.Objects;

/**
 * A batch pulled by a {@link Poller}.
 *
 * @param records        the records, in the order the channel returned them
 * @param nextCheckpoint the checkpoint to commit once {@code records} are durable
 * @param hasMore        whether the hub should poll again at once instead of waiting
 */
public record PollResult(List<RawRecord> records, String nextCheckpoint, boolean hasMore) {

    public PollResult {
        records = List.copyOf(records);
        Objects.requireNonNull(nextCheckpoint, "nextCheckpoint");
    }
}
