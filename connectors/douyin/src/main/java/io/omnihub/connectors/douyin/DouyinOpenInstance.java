package io.omnihub.connectors.douyin;

import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.webhook.WebhookHandler;
import java.util.Optional;

/**
 * One Douyin Open Platform app (kind {@code open}): receives its webhooks. Every push names the
 * person by open_id, so normalizing needs no API call; the API client serves the credentials check.
 */
final class DouyinOpenInstance implements ConnectorInstance {

    private final DouyinConfig config;
    private final DouyinWebhookHandler webhook;
    private final DouyinNormalizer normalizer;
    private final DouyinOpenApiClient api;

    DouyinOpenInstance(ConnectorContext ctx, DouyinConfig config) {
        this.config = config;
        this.webhook = new DouyinWebhookHandler(config);
        this.normalizer = new DouyinNormalizer(ctx.connectorId(), ctx.instanceId(), config);
        this.api = new DouyinOpenApiClient(ctx, config);
    }

    @Override
    public Optional<WebhookHandler> webhook() {
        return Optional.of(webhook);
    }

    @Override
    public Normalizer normalizer() {
        return normalizer;
    }

    /** Asks Douyin for a fresh client_token: the one call that proves client_key and client_secret. */
    @Override
    public CheckResult check() {
        try {
            api.refreshClientToken();
            return CheckResult.ok("Douyin accepted the credentials of client_key " + config.clientKey());
        } catch (ConfigException e) {
            return CheckResult.failed(e.getMessage());
        } catch (RateLimitedException e) {
            return CheckResult.failed(e.getMessage() + "; retry after " + e.retryAfter());
        } catch (TransientException e) {
            return CheckResult.failed("Douyin API unreachable: " + e.getMessage());
        } catch (RuntimeException e) {
            return CheckResult.failed("check failed: " + e.getClass().getSimpleName());
        }
    }
}
