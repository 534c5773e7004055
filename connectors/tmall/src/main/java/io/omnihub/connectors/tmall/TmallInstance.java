package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.source.Poller;
import java.util.Optional;

/**
 * One Tmall or Taobao shop. It only polls: Taobao delivers TMC messages over its own WebSocket
 * protocol, never by HTTP push, so the instance pulls them (TMC pull mode) and syncs trades.
 */
final class TmallInstance implements ConnectorInstance {

    private final TmallConfig config;
    private final TopApiClient api;
    private final TmallPoller poller;
    private final TmallNormalizer normalizer;

    TmallInstance(ConnectorContext ctx, TmallConfig config) {
        this.config = config;
        this.api = new TopApiClient(ctx, config);
        this.poller = new TmallPoller(ctx, config, api);
        this.normalizer = new TmallNormalizer(ctx.connectorId(), ctx.instanceId(), config, api, ctx.logger());
    }

    @Override
    public Optional<Poller> poller() {
        return Optional.of(poller);
    }

    @Override
    public Normalizer normalizer() {
        return normalizer;
    }

    /**
     * Calls {@code taobao.user.seller.get}: one authorised call proves app key, secret, sign method
     * and the seller's session together.
     */
    @Override
    public CheckResult check() {
        try {
            JsonNode seller = api.sellerGet();
            String nick = seller.path("nick").asText("");
            return CheckResult.ok("TOP accepted app key " + config.appKey() + " and the session"
                    + (nick.isEmpty() ? "" : " of seller " + nick));
        } catch (ConfigException e) {
            return CheckResult.failed(e.getMessage());
        } catch (RateLimitedException e) {
            return CheckResult.failed(e.getMessage() + "; retry after " + e.retryAfter());
        } catch (TransientException e) {
            return CheckResult.failed("TOP gateway unreachable or failing: " + e.getMessage());
        } catch (BadInputException e) {
            return CheckResult.failed(e.getMessage());
        } catch (RuntimeException e) {
            return CheckResult.failed("check failed: " + e.getClass().getSimpleName());
        }
    }
}
