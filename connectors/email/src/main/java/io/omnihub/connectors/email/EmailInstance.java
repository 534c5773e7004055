package io.omnihub.connectors.email;

import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.errors.ConnectorException;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.webhook.WebhookHandler;
import jakarta.mail.MessagingException;
import java.util.Optional;

/** One sending account: SMTP out, unsubscribe links in. */
final class EmailInstance implements ConnectorInstance {

    private final EmailConfig config;
    private final SmtpMailer mailer;
    private final EmailActionSender sender;
    private final UnsubscribeHandler unsubscribe;
    private final EmailNormalizer normalizer;

    EmailInstance(ConnectorContext ctx, EmailConfig config) {
        this.config = config;
        this.mailer = new SmtpMailer(config, ctx.clock());
        UnsubscribeLinks links = new UnsubscribeLinks(config, ctx.connectorId(), ctx.instanceId());
        this.sender = new EmailActionSender(config, mailer, new EmailTemplates(config.templateDir()), links);
        this.unsubscribe = new UnsubscribeHandler(links);
        this.normalizer = new EmailNormalizer(ctx.connectorId(), ctx.instanceId(), config);
    }

    @Override
    public Optional<WebhookHandler> webhook() {
        return Optional.of(unsubscribe);
    }

    @Override
    public Optional<ActionSender> actions() {
        return Optional.of(sender);
    }

    @Override
    public Normalizer normalizer() {
        return normalizer;
    }

    /** Connects to the SMTP server and logs in; reports the problem, never throws. */
    @Override
    public CheckResult check() {
        try {
            mailer.verifyLogin();
            return CheckResult.ok("SMTP server " + config.smtpHost() + ":" + config.smtpPort() + " accepted "
                    + config.username().map(u -> "the login of " + u).orElse("the connection"));
        } catch (MessagingException e) {
            ConnectorException typed = SmtpErrors.of(e);
            return CheckResult.failed(typed.getMessage());
        } catch (RuntimeException e) {
            return CheckResult.failed("check failed: " + e.getClass().getSimpleName());
        }
    }
}
