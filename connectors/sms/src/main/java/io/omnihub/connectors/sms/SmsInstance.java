package io.omnihub.connectors.sms;

import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.webhook.WebhookHandler;
import java.util.Optional;

/** One SMS account at Aliyun or Tencent Cloud: sends text messages, receives their callbacks. */
final class SmsInstance implements ConnectorInstance {

    private final SmsConfig config;
    private final SmsGateway gateway;
    private final SmsActionSender sender;
    private final SmsCallbackHandler callbacks;
    private final SmsNormalizer normalizer;

    SmsInstance(ConnectorContext ctx, SmsConfig config) {
        this.config = config;
        this.gateway = config.kind() == SmsConfig.Kind.ALIYUN ? new AliyunSmsClient(ctx, config) : new TencentSmsClient(ctx, config);
        this.sender = new SmsActionSender(config, gateway);
        this.callbacks = new SmsCallbackHandler(config);
        this.normalizer = new SmsNormalizer(ctx.connectorId(), ctx.instanceId());
    }

    @Override
    public Optional<WebhookHandler> webhook() {
        return Optional.of(callbacks);
    }

    @Override
    public Optional<ActionSender> actions() {
        return Optional.of(sender);
    }

    @Override
    public Normalizer normalizer() {
        return normalizer;
    }

    /** One authenticated read at the vendor; reports the problem, never throws. */
    @Override
    public CheckResult check() {
        try {
            gateway.checkCredentials();
            return CheckResult.ok(config.kind().id() + " accepted the credentials of " + config.keyId()
                    + (config.callbackKey().isEmpty() ? "; no callback-key, so receipts and replies are refused" : ""));
        } catch (ConfigException e) {
            return CheckResult.failed(e.getMessage());
        } catch (RateLimitedException e) {
            return CheckResult.failed(e.getMessage() + "; retry after " + e.retryAfter());
        } catch (TransientException e) {
            return CheckResult.failed("SMS API unreachable: " + e.getMessage());
        } catch (RuntimeException e) {
            return CheckResult.failed("check failed: " + e.getMessage());
        }
    }
}
