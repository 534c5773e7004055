package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import java.util.Optional;

/**
 * The seller's part of event ids and the namespace of its {@code tmall_ouid}s: {@code seller-id}
 * when configured, else the seller's nick as TOP states it.
 */
final class SellerKey {

    private final Optional<String> sellerId;

    SellerKey(Optional<String> sellerId) {
        this.sellerId = sellerId;
    }

    /**
     * {@code seller-id} if configured, else the seller's nick from the content, else from the TMC
     * {@code envelope} (null for a synced trade).
     */
    String of(JsonNode content, JsonNode envelope, String what) {
        if (sellerId.isPresent()) {
            return sellerId.get();
        }
        String nick = TopJson.text(content, "seller_nick");
        if (nick == null && envelope != null) {
            nick = TopJson.text(envelope, "user_nick");
        }
        if (nick == null) {
            throw new BadInputException(what + " names no seller (no seller_nick): set '" + TmallConfig.SELLER_ID + "'");
        }
        return nick;
    }
}
