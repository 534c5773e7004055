package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connectors.tmall.TmallCheckpoint.SyncPosition;
import io.omnihub.connectors.tmall.TopApiClient.TradePage;
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
 *       the first poll) up to the hub's clock minus {@code sync-lag}. TOP lists a window newest-
 *       modified first, so paging it forward loses trades: one modified again between two page
 *       reads leaves the window and moves every later trade up a place, one of them onto the page
 *       already read. So a window is read in one answer whenever it can be: a window whose first
 *       page says {@code has_next} is halved (not emitted) until it fits, down to
 *       {@link #MIN_WINDOW}; a window that narrow which still does not fit is counted and paged
 *       backwards, last page first, where such a shift only repeats a trade. One TOP call per poll
 *       (two when a crowded narrowest window is counted); the window end becomes the new
 *       {@code from} only after the whole window was returned, so a crash resumes in the same window
 *       and repeats the same trades. While a window is being narrowed or paged, or the sync is more
 *       than a window behind, the result says {@code hasMore} and the hub polls again at once.</li>
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
    /**
     * The narrowest window the sync halves a crowded window down to; a window this narrow that
     * still holds more than a page is paged backwards instead.
     */
    static final Duration MIN_WINDOW = Duration.ofMinutes(1);
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
            SyncStep step = syncStep(sync, now, records);
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

    /**
     * Takes the sync one step: opens the next window if none is being read, then probes it or reads
     * its next page backwards, and says where the sync stands after that.
     */
    private SyncStep syncStep(Optional<SyncPosition> committed, Instant now, List<RawRecord> records) {
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
                return new SyncStep(SyncPosition.at(from, position.span()), false);
            }
            // After a window that had to be narrowed, start at twice its width rather than a day.
            Duration width = position.span() == null ? MAX_WINDOW : min(position.span().multipliedBy(2), MAX_WINDOW);
            position = SyncPosition.window(from, min(from.plus(width), horizon));
        }
        return position.backward() ? backwardPage(position, now, horizon, records) : probe(position, now, horizon, records);
    }

    /**
     * Asks for the window's first page ({@code use_has_next=true}). A window that fits on it is
     * done: one answer is one consistent view. One that does not is halved (down to
     * {@link #MIN_WINDOW}) and probed again by the next poll, without emitting anything; when even
     * the narrowest window holds more than a page, TOP counts its trades and the window is paged
     * backwards from its last page.
     */
    private SyncStep probe(SyncPosition window, Instant now, Instant horizon, List<RawRecord> records) {
        int pageSize = config.syncPageSize();
        TradePage page = api.tradesSoldIncrement(window.from(), window.windowEnd(), 1, pageSize);
        log(window, "probe", page);
        // An empty page that claims more cannot be narrowed into anything: the window is done.
        if (!page.hasNext() || page.trades().isEmpty()) {
            emit(page, now, records);
            return windowDone(window, horizon);
        }
        Duration width = Duration.between(window.from(), window.windowEnd());
        if (width.compareTo(MIN_WINDOW) > 0) {
            Duration half = max(Duration.ofSeconds(width.toSeconds() / 2), MIN_WINDOW);
            return new SyncStep(SyncPosition.window(window.from(), window.from().plus(half)), true);
        }
        TradePage counted = api.tradesSoldIncrementCounted(window.from(), window.windowEnd(), 1, pageSize);
        long total = counted.totalResults().orElseThrow(() -> new TransientException("TOP answered "
                + TopApiClient.TRADES_SOLD_INCREMENT_GET + " without total_results, so the window from "
                + window.from() + " to " + window.windowEnd() + " cannot be paged backwards"));
        log(window, "count " + total, counted);
        if (total <= pageSize) {
            // Trades left the window since the probe: what remains is all on this page.
            emit(counted, now, records);
            return windowDone(window, horizon);
        }
        long last = (total + pageSize - 1) / pageSize;
        ctx.logger().log(System.Logger.Level.INFO, "{0} trades were modified between {1} and {2}, more than a page "
                + "of {3}: paging backwards from page {4}", total, window.from(), window.windowEnd(), pageSize, last);
        return new SyncStep(SyncPosition.backward(window.from(), window.windowEnd(),
                (int) Math.min(last, Integer.MAX_VALUE), pageSize), true);
    }

    /**
     * Reads the next page of a window paged backwards. TOP lists the oldest-modified trades last;
     * a trade modified again meanwhile leaves the window and moves the ones listed after it one place
     * forward, onto a page still to be read (a repeat, same event id), never onto one already read.
     */
    private SyncStep backwardPage(SyncPosition window, Instant now, Instant horizon, List<RawRecord> records) {
        // The size the pages were counted with, even if sync-page-size changed since.
        TradePage page = api.tradesSoldIncrementCounted(window.from(), window.windowEnd(), window.backwardPage(),
                window.pageSize());
        log(window, "page " + window.backwardPage() + " (backwards)", page);
        emit(page, now, records);
        if (window.backwardPage() > 1) {
            return new SyncStep(SyncPosition.backward(window.from(), window.windowEnd(), window.backwardPage() - 1,
                    window.pageSize()), true);
        }
        return windowDone(window, horizon);
    }

    /** The whole window was returned: the next starts at its end, and remembers its width if it was narrowed. */
    private static SyncStep windowDone(SyncPosition window, Instant horizon) {
        Instant end = window.windowEnd();
        Instant unnarrowed = min(window.from().plus(MAX_WINDOW), horizon);
        SyncPosition next = end.isBefore(unnarrowed)
                ? SyncPosition.at(end, Duration.between(window.from(), end))
                : SyncPosition.at(end);
        return new SyncStep(next, end.isBefore(horizon));
    }

    private static void emit(TradePage page, Instant now, List<RawRecord> records) {
        page.trades().forEach(trade -> records.add(TmallRecords.trade(trade, now)));
    }

    private void log(SyncPosition window, String what, TradePage page) {
        ctx.logger().log(System.Logger.Level.DEBUG, "trade sync {0} to {1}, {2}: {3} trade(s), has_next {4}",
                window.from(), window.windowEnd(), what, page.trades().size(), page.hasNext());
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
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
