package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connectors.tmall.TopErrors.TopRefusal;
import java.util.Optional;

/**
 * A trade's full detail ({@code taobao.trade.fullinfo.get}) when {@code trade-detail} is on. While TOP
 * is down the lookup throws a {@link io.omnihub.connector.errors.TransientException}, so the record
 * waits; a trade TOP refuses to show is no detail.
 */
final class TradeDetail {

    private final boolean enabled;
    private final TopApiClient api;
    private final System.Logger log;

    TradeDetail(boolean enabled, TopApiClient api, System.Logger log) {
        this.enabled = enabled;
        this.api = api;
        this.log = log;
    }

    /** The detail of trade {@code tid}; empty when {@code trade-detail} is off or TOP refuses or answers none. */
    Optional<JsonNode> lookup(String tid, String what) {
        if (!enabled) {
            return Optional.empty();
        }
        try {
            return api.tradeFullinfo(tid);
        } catch (TopRefusal e) {
            // The trade is gone or hidden from this app; the message alone still makes the event.
            log.log(System.Logger.Level.DEBUG, "no trade detail for {0}: {1}", what, e.getMessage());
            return Optional.empty();
        }
    }
}
