package io.omnihub.connectors.erp;

import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.errors.AuthException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.source.Poller;
import io.omnihub.connectors.erp.KingdeeApiClient.BillQuery;
import java.util.List;
import java.util.Optional;

/**
 * One Kingdee data center reached as one user. Polls the configured forms (none when
 * {@code poll-forms} is {@code none}) and saves customers and sales orders.
 */
final class ErpInstance implements ConnectorInstance {

    private final KingdeeConfig config;
    private final KingdeeApiClient api;
    private final KingdeeNormalizer normalizer;
    private final Optional<Poller> poller;
    private final KingdeeActionSender actions;

    ErpInstance(ConnectorContext ctx, KingdeeConfig config) {
        this.config = config;
        this.api = new KingdeeApiClient(ctx, config);
        this.normalizer = new KingdeeNormalizer(ctx.connectorId(), ctx.instanceId(), config);
        this.poller = config.pollForms().isEmpty() ? Optional.empty() : Optional.of(new KingdeePoller(ctx, config, api));
        this.actions = new KingdeeActionSender(ctx, config, api);
        if (config.orderNumberField().isEmpty()) {
            ctx.logger().log(System.Logger.Level.INFO, "no order-number-field configured: saved sales orders are not "
                    + "checked for duplicates and carry the channel order number in FNote only");
        }
    }

    @Override
    public Optional<Poller> poller() {
        return poller;
    }

    @Override
    public Optional<ActionSender> actions() {
        return Optional.of(actions);
    }

    @Override
    public Normalizer normalizer() {
        return normalizer;
    }

    /**
     * Logs in anew (password and app-secret modes), or runs a one-row customer query (signed mode,
     * which has no login): the one call that proves the credentials.
     */
    @Override
    public CheckResult check() {
        try {
            if (config.authMode().usesSession()) {
                api.refreshSession();
            } else {
                api.executeBillQuery(new BillQuery(KingdeeForm.CUSTOMER.formId(), List.of("FNumber"), "", "", 0, 1));
            }
            return CheckResult.ok("Kingdee accepted user '" + config.username() + "' on data center '"
                    + config.acctId() + "' (" + config.authMode().id() + ")");
        } catch (ConfigException | AuthException e) {
            return CheckResult.failed(e.getMessage());
        } catch (RateLimitedException e) {
            return CheckResult.failed(e.getMessage() + "; retry after " + e.retryAfter());
        } catch (TransientException e) {
            return CheckResult.failed("Kingdee unreachable: " + e.getMessage());
        } catch (RuntimeException e) {
            return CheckResult.failed("check failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
