package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connectors.tmall.TmallCheckpoint.SyncPosition;
import io.omnihub.connectors.tmall.TopErrors.TopRefusal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Pulls a shop's trades from two sources in every poll, each with its own part of the
 * {@link TmallCheckpoint}:
 *
 * <ol>
 *   <li><b>Incremental sync</b> ({@code taobao.trades.sold.increment.get}): windows of
 *       {@code modified} time of at most one day, from {@code sync-start} (default: one day before
 *       the first poll) up to the hub's clock minus {@code sync-lag}. One page per poll; the window
 *       end becomes the new {@code from} only after its last page ({@code has_next=false}) was
 *       returned, so a crash resumes at the same page of the same window and repeats the same
 *       trades. While a window has more pages or the sync is more than a window behind, the result
 *       says {@code hasMore} and the hub polls again at once.</li>
 *   <li><b>TMC pull mode</b> ({@code taobao.tmc.messages.consume}): up to {@code tmc-quantity}
 *       messages of {@code tmc-group}, emitted as they are. Their ids travel in the checkpoint and
 *       are confirmed ({@code taobao.tmc.messages.confirm}) only in {@link #committed}, once the hub
 *       has them durably; if that confirm is lost to a crash, the next poll confirms them first.
 *       TMC hands unconfirmed messages out again, which is harmless: event ids are deterministic.</li>
 * </ol>
 *
 * <p>The sync page is read before TMC is consumed, so a failing sync call leaves no message taken
 * and unreturned. Called by one hub thread at a time; {@link #committed} may follow on the same one.
 */
public final class TmallPoller implements Poller {

    /** TOP's limit on {@code end_modified - start_modified}. */
    static final Duration MAX_WINDOW = Duration.ofDays(1);
    /** TOP serves the last three months; a day of margin keeps a window inside them. */
    static final Duration MAX_HISTORY = Duration.ofDays(89);
    /** How far back the sync starts on the very first poll without {@code sync-start}. */
    static final Duration DEFAULT_START = Duration.ofDays(1);

    private final ConnectorContext ctx;
    private final TmallConfig config;
    private final TopApiClient api;
    /** The TMC ids this node confirmed last, so the next poll does not confirm them again. */
    private Set<String> confirmed = Set.of();

    public TmallPoller(ConnectorContext ctx, TmallConfig config, TopApiClient api) {
        this.ctx = ctx;
        this.config = config;
        this.api = api;
    }

    @Override
    public PollResult poll(Optional<String> checkpoint) {
        TmallCheckpoint committed = TmallCheckpoint.parse(checkpoint);
        Instant now = ctx.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        if (config.tmcEnabled()) {
            // Committed means durable: whatever a lost committed() call did not confirm is confirmed now.
            confirm(committed.tmcToConfirm());
        }
        List<RawRecord> records = new ArrayList<>();
        boolean more = false;

        Optional<SyncPosition> sync = committed.sync();
        if (config.syncEnabled()) {
            SyncStep step = syncPage(sync, now, records);
            sync = Optional.of(step.next());
            more = step.more();
        }

        List<String> toConfirm = new ArrayList<>();
        if (config.tmcEnabled()) {
            List<JsonNode> messages = api.tmcConsume(config.tmcGroup(), config.tmcQuantity());
            for (JsonNode message : messages) {
                records.add(TmallRecords.tmcMessage(message, now));
                String id = message.path("id").asText("");
                if (!id.isEmpty()) {
                    toConfirm.add(id);
                }
            }
            ctx.logger().log(System.Logger.Level.DEBUG, "TMC group {0} gave {1} message(s)", config.tmcGroup(),
                    messages.size());
            // A full batch means TMC probably holds more.
            more |= messages.size() >= config.tmcQuantity();
        }
        return new PollResult(records, new TmallCheckpoint(sync, toConfirm).toJson(), more);
    }

    /** Confirms the TMC messages of the batch the hub has just committed. */
    @Override
    public void committed(String checkpoint) {
        if (config.tmcEnabled()) {
            confirm(TmallCheckpoint.parse(Optional.of(checkpoint)).tmcToConfirm());
        }
    }

    @Override
    public Duration interval() {
        return config.pollInterval();
    }

    private record SyncStep(SyncPosition next, boolean more) {
    }

    /** Reads one page of the sync and says where the sync stands after it. */
    private SyncStep syncPage(Optional<SyncPosition> committed, Instant now, List<RawRecord> records) {
        Instant horizon = now.minus(config.syncLag()).truncatedTo(ChronoUnit.SECONDS);
        SyncPosition position = committed.orElseGet(() -> SyncPosition.at(
                config.syncStart().orElse(now.minus(DEFAULT_START)).truncatedTo(ChronoUnit.SECONDS)));
        if (!position.inWindow()) {
            Instant from = position.from();
            Instant oldest = now.minus(MAX_HISTORY);
            if (from.isBefore(oldest)) {
                ctx.logger().log(System.Logger.Level.WARNING, "the trade sync stood at {0}, further back than TOP "
                        + "serves; it continues from {1}: trades modified in between only arrive through TMC",
                        from, oldest);
                from = oldest;
            }
            if (!horizon.isAfter(from)) {
                return new SyncStep(SyncPosition.at(from), false);
            }
            Instant end = from.plus(MAX_WINDOW);
            position = new SyncPosition(from, end.isBefore(horizon) ? end : horizon, 1);
        }
        TopApiClient.TradePage page = api.tradesSoldIncrement(position.from(), position.windowEnd(), position.page(),
                config.syncPageSize());
        page.trades().forEach(trade -> records.add(TmallRecords.trade(trade, now)));
        ctx.logger().log(System.Logger.Level.DEBUG, "trade sync {0} to {1}, page {2}: {3} trade(s), has_next {4}",
                position.from(), position.windowEnd(), position.page(), page.trades().size(), page.hasNext());
        // An empty page that claims more would page on forever: the window is done.
        if (page.hasNext() && !page.trades().isEmpty()) {
            return new SyncStep(new SyncPosition(position.from(), position.windowEnd(), position.page() + 1), true);
        }
        SyncPosition next = SyncPosition.at(position.windowEnd());
        return new SyncStep(next, next.from().isBefore(horizon));
    }

    /**
     * Confirms {@code ids} unless this node did already. A refusal is logged, not thrown: the ids
     * may have been confirmed by another node, and at worst TMC delivers them again, which is harmless.
     */
    private void confirm(List<String> ids) {
        Set<String> wanted = new LinkedHashSet<>(ids);
        synchronized (this) {
            wanted.removeAll(confirmed);
        }
        if (wanted.isEmpty()) {
            return;
        }
        try {
            api.tmcConfirm(config.tmcGroup(), wanted);
        } catch (TopRefusal e) {
            ctx.logger().log(System.Logger.Level.WARNING, "TMC refused to confirm {0} message(s), which it may then "
                    + "deliver again: {1}", wanted.size(), e.getMessage());
        }
        synchronized (this) {
            confirmed = Set.copyOf(ids);
        }
    }
}
