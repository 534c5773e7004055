package io.omnihub.connectors.pos;

import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.source.Poller;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** One Pospal (银豹) OpenAPI account ({@code source: cloud-api}): a poller and a normalizer. */
final class PospalInstance implements ConnectorInstance {

    private final ConnectorContext ctx;
    private final PospalConfig config;
    private final PospalApiClient api;
    private final PospalPoller poller;
    private final PospalNormalizer normalizer;

    PospalInstance(ConnectorContext ctx, PospalConfig config) {
        this.ctx = ctx;
        this.config = config;
        this.api = new PospalApiClient(ctx, config);
        this.poller = new PospalPoller(ctx, config, api);
        this.normalizer = new PospalNormalizer(ctx, config, api);
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
     * Asks for the tickets of the last minute: the call the poller makes, so success proves the
     * app id, the app key (the signature) and the area host at once, for one request.
     */
    @Override
    public CheckResult check() {
        Instant now = ctx.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            api.queryTicketPage(now.minus(Duration.ofMinutes(1)), now, null);
            return CheckResult.ok("Pospal accepted app-id " + config.appId() + " at " + config.apiBaseUrl());
        } catch (ConfigException e) {
            return CheckResult.failed(e.getMessage());
        } catch (RateLimitedException e) {
            return CheckResult.failed(e.getMessage() + "; retry after " + e.retryAfter());
        } catch (TransientException e) {
            return CheckResult.failed("Pospal API unreachable: " + e.getMessage());
        } catch (RuntimeException e) {
            return CheckResult.failed("check failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
