package io.omnihub.connectors.pos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Polls {@code queryTicketPages} window by window.
 *
 * <p>Each poll reads one page of the window ({@code after}, {@code to}], where {@code to} trails the
 * hub clock by {@code window-delay} (tills upload tickets with a short delay) and a window spans at
 * most {@link #MAX_WINDOW} (Pospal accepts up to 31 days). While a window has more pages the
 * checkpoint keeps the window and Pospal's {@code postBackParameter}; after its last page the
 * checkpoint moves to the window's end. A poller that is behind (a first start, an outage) says
 * {@code hasMore} until it has caught up.
 *
 * <p>Each ticket becomes one raw record: key the ticket {@code sn}, payload the ticket JSON as
 * Pospal sent it, attribute {@code storeId}. Stateless between polls, so safe on any thread.
 */
final class PospalPoller implements Poller {

    /** The longest window one query asks for. */
    static final Duration MAX_WINDOW = Duration.ofDays(1);

    private final ConnectorContext ctx;
    private final PospalConfig config;
    private final PospalApiClient api;

    PospalPoller(ConnectorContext ctx, PospalConfig config, PospalApiClient api) {
        this.ctx = ctx;
        this.config = config;
        this.api = api;
    }

    @Override
    public PollResult poll(Optional<String> checkpoint) {
        Instant now = ctx.clock().instant();
        Instant horizon = now.minus(config.windowDelay()).truncatedTo(ChronoUnit.SECONDS);
        PospalCheckpoint current = checkpoint.map(PospalCheckpoint::parse)
                .orElseGet(() -> PospalCheckpoint.after(horizon.minus(config.initialLookback())));
        Instant after = current.after();
        Instant to;
        if (current.paging()) {
            to = current.to();
        } else {
            Instant capped = after.plus(MAX_WINDOW);
            to = capped.isBefore(horizon) ? capped : horizon;
            if (!to.isAfter(after)) {
                // Caught up (or the clock went back): nothing to ask for, and the checkpoint stays.
                return new PollResult(List.of(), checkpoint.orElseGet(current::toJson), false);
            }
        }
        PospalApiClient.TicketPage page = api.queryTicketPage(after, to, current.page());
        List<RawRecord> records = new ArrayList<>(page.tickets().size());
        for (JsonNode ticket : page.tickets()) {
            records.add(record(ticket, now));
        }
        boolean nextPage = page.hasNextPage();
        if (nextPage && page.postBack().equals(current.page())) {
            // Pospal handed back the parameter it was given: asking again would read the same page forever.
            ctx.logger().log(System.Logger.Level.WARNING, "Pospal repeated postBackParameter {0} for ({1}, {2}]; "
                    + "the window is taken as read", page.postBack(), after, to);
            nextPage = false;
        }
        PospalCheckpoint next = nextPage ? PospalCheckpoint.paging(after, to, page.postBack()) : PospalCheckpoint.after(to);
        boolean hasMore = next.paging() || to.isBefore(horizon);
        ctx.logger().log(System.Logger.Level.DEBUG, "read {0} Pospal tickets of ({1}, {2}], more: {3}",
                records.size(), after, to, hasMore);
        return new PollResult(records, next.toJson(), hasMore);
    }

    @Override
    public Duration interval() {
        return config.common().pollInterval();
    }

    private RawRecord record(JsonNode ticket, Instant receivedAt) {
        byte[] payload;
        try {
            payload = PospalApiClient.JSON.writeValueAsBytes(ticket);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed ticket cannot be written back as JSON", e);
        }
        String sn = PospalApiClient.text(ticket, "sn");
        return new RawRecord(sn == null ? "" : sn, "application/json", payload,
                Map.of(PospalNormalizer.STORE_ID_ATTRIBUTE, config.storeId()), receivedAt);
    }
}
