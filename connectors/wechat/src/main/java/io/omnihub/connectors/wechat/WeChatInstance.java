package io.omnihub.connectors.wechat;

import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.Enricher;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.webhook.WebhookHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Official Account or WeCom app. Without an {@code app-secret} it only receives webhooks:
 * enrichment and actions need the API and are then absent.
 */
final class WeChatInstance implements ConnectorInstance {

    private final WeChatConfig config;
    private final WeChatWebhookHandler webhook;
    private final WeChatNormalizer normalizer;
    private final WeChatApiClient api;
    private final Optional<Enricher> enricher;
    private final Optional<ActionSender> actions;

    WeChatInstance(ConnectorContext ctx, WeChatConfig config) {
        this.config = config;
        this.webhook = new WeChatWebhookHandler(config, ctx.clock(), ctx.tokens());
        this.normalizer = new WeChatNormalizer(ctx.connectorId(), ctx.instanceId(), config);
        this.api = new WeChatApiClient(ctx, config);
        boolean apiConfigured = config.appSecret().isPresent();
        this.enricher = apiConfigured ? Optional.of(new WeChatEnricher(ctx, config, api)) : Optional.empty();
        // Template and subscribe messages are Official Account features; WeCom reaches its contacts
        // through their salesperson instead.
        this.actions = !apiConfigured ? Optional.empty()
                : Optional.of(config.kind() == WeChatConfig.Kind.MP
                        ? new WeChatActionSender(config, api)
                        : new WeComActionSender(ctx, config, api));
    }

    @Override
    public Optional<WebhookHandler> webhook() {
        return Optional.of(webhook);
    }

    @Override
    public Optional<Enricher> enricher() {
        return enricher;
    }

    @Override
    public Optional<ActionSender> actions() {
        return actions;
    }

    @Override
    public Normalizer normalizer() {
        return normalizer;
    }

    /** Settings that leave pushes open to forgery or replay. */
    @Override
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (config.encodingAesKey().isEmpty()) {
            warnings.add("plaintext mode: pushes arrive unencrypted and their signature does not cover the body; "
                    + "switch the account to safe mode (安全模式) and set 'encoding-aes-key'");
        }
        if (config.timestampTolerance().isZero()) {
            warnings.add("'timestamp-tolerance' is 0: replayed pushes are not refused");
        }
        return List.copyOf(warnings);
    }

    /** Asks WeChat for a fresh access token: the one call that proves appid and secret. */
    @Override
    public CheckResult check() {
        if (config.appSecret().isEmpty()) {
            return CheckResult.ok("webhook only: no app-secret configured, so enrichment and actions are off");
        }
        try {
            api.refreshToken();
            return CheckResult.ok("WeChat accepted the credentials of " + config.appId());
        } catch (ConfigException e) {
            return CheckResult.failed(e.getMessage());
        } catch (RateLimitedException e) {
            return CheckResult.failed(e.getMessage() + "; retry after " + e.retryAfter());
        } catch (TransientException e) {
            return CheckResult.failed("WeChat API unreachable: " + e.getMessage());
        } catch (RuntimeException e) {
            return CheckResult.failed("check failed: " + e.getClass().getSimpleName());
        }
    }
}
