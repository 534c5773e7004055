package ${package};

import com.fasterxml.jackson.databind.cfg.PackageVersion;
import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.http.HttpResponse;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.webhook.WebhookHandler;
import java.time.Duration;
import java.util.Optional;

/**
 * One configured ${channelName} account. Opening it calls nothing: {@link ${className}ApiClient}
 * talks to the channel only when the hub asks for a check, a poll or an action.
 */
final class ${className}Instance implements ConnectorInstance {

    private final ${className}ApiClient api;
    private final ${className}WebhookHandler webhook;
    private final ${className}Poller poller;
    private final ${className}ActionSender actions;
    private final ${className}Normalizer normalizer;

    ${className}Instance(ConnectorContext context) {
        String accountId = context.config().require("account-id");
        this.api = new ${className}ApiClient(context.http(), context.config().requireUrl("base-url"),
                context.config().require("api-key"));
        this.webhook = new ${className}WebhookHandler(
                new ${className}Signer(context.config().require("signing-secret")), context.clock());
        this.poller = new ${className}Poller(api, context.clock(),
                context.config().duration("poll-interval", Duration.ofMinutes(1)));
        this.actions = new ${className}ActionSender(api);
        this.normalizer = new ${className}Normalizer(context.connectorId(), context.instanceId(), accountId);
        // Which Jackson the plugin got: its own bundled one, whatever the hub runs. Operators read
        // this when a plugin misbehaves after a hub upgrade.
        context.logger().log(System.Logger.Level.INFO, "${channelName} instance {0} opened; JSON by jackson-databind {1}",
                context.instanceId(), PackageVersion.VERSION.toString());
    }

    @Override
    public Optional<WebhookHandler> webhook() {
        return Optional.of(webhook);
    }

    @Override
    public Optional<Poller> poller() {
        return Optional.of(poller);
    }

    @Override
    public Optional<ActionSender> actions() {
        return Optional.of(actions);
    }

    @Override
    public Normalizer normalizer() {
        return normalizer;
    }

    @Override
    public CheckResult check() {
        try {
            HttpResponse response = api.ping();
            if (response.isSuccess()) {
                return CheckResult.ok("${channelName} API reachable and the API key accepted");
            }
            if (response.status() == 401 || response.status() == 403) {
                return CheckResult.failed("${channelName} rejected the API key (HTTP " + response.status() + "): check api-key");
            }
            return CheckResult.failed("${channelName} answered HTTP " + response.status() + " to GET /v1/ping");
        } catch (TransientException e) {
            return CheckResult.failed("${channelName} unreachable: " + e.getMessage());
        }
    }
}
