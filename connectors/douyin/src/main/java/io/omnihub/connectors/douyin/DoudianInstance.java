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
 * One 抖店 shop served by a self-use app (kind {@code shop}): receives its message push and looks
 * up each order's buyer through the open API while normalizing.
 */
final class DoudianInstance implements ConnectorInstance {

    private final DouyinConfig config;
    private final DoudianWebhookHandler webhook;
    private final DoudianNormalizer normalizer;
    private final DoudianApiClient api;

    DoudianInstance(ConnectorContext ctx, DouyinConfig config) {
        this.config = config;
        this.webhook = new DoudianWebhookHandler(config);
        this.api = new DoudianApiClient(ctx, config);
        this.normalizer = new DoudianNormalizer(ctx, config, api);
    }

    @Override
    public Optional<WebhookHandler> webhook() {
        return Optional.of(webhook);
    }

    @Override
    public Normalizer normalizer() {
        return normalizer;
    }

    /**
     * Creates a fresh access token with {@code token.create}: the one call that proves app key, app
     * secret and the shop's authorization of the app together.
     */
    @Override
    public CheckResult check() {
        try {
            DoudianApiClient.ShopToken shop = api.createToken();
            String name = shop.shopName().isEmpty() ? "" : " (" + shop.shopName() + ")";
            return CheckResult.ok("抖店 issued an access token for shop " + config.shopId() + name);
        } catch (ConfigException e) {
            return CheckResult.failed(e.getMessage());
        } catch (RateLimitedException e) {
            return CheckResult.failed(e.getMessage() + "; retry after " + e.retryAfter());
        } catch (TransientException e) {
            return CheckResult.failed("抖店 API unreachable: " + e.getMessage());
        } catch (RuntimeException e) {
            return CheckResult.failed("check failed: " + e.getClass().getSimpleName());
        }
    }
}
