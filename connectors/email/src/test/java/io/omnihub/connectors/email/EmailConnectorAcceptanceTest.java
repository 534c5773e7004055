package io.omnihub.connectors.email;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import io.omnihub.testkit.WebhookRequests;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The acceptance suite: the SMTP server is GreenMail (the kit's WireMock server is unused, SMTP is
 * no HTTP); the webhook is the unsubscribe link, "signed" by its sealed token.
 *
 * <p>The two action rules observe what the kit's WireMock server receives and stub its HTTP answers,
 * which an SMTP sender never touches. {@link EmailActionSenderTest} proves the same contract against
 * GreenMail instead: the action id carried (as the Message-ID, the same on every send), a refused
 * login a config error, an unreachable server transient, a refused address bad input, and
 * {@link SmtpErrorsTest} the classification of every SMTP reply code.
 */
class EmailConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    @RegisterExtension
    static GreenMailExtension smtp = EmailFixtures.greenMail();

    @Override
    protected ChannelConnector connector() {
        return new EmailConnector();
    }

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return EmailFixtures.config(smtp);
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        // GreenMail knows the login (EmailFixtures.greenMail()).
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        Map<String, String> config = EmailFixtures.config(smtp);
        config.put("password", "Wrong-Pa55w0rd-000000");
        return config;
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        // GreenMail refuses the wrong password with 535.
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        return Set.of("password", "unsubscribe-secret");
    }

    @Override
    protected List<WebhookRequest> signedWebhookSamples(Map<String, String> config, Instant now) {
        UnsubscribeToken tokens = new UnsubscribeToken(config.get("unsubscribe-secret"));
        String liLei = tokens.issue("li.lei@example.com", EmailActionSender.messageRef("enr-42:step-3"));
        String hanMei = tokens.issue("han.mei@example.com", EmailActionSender.messageRef("enr-43:step-3"));
        return List.of(
                WebhookRequests.get().query("token", liLei).receivedAt(now).build(),
                oneClick(liLei, now),
                oneClick(hanMei, now));
    }

    private static WebhookRequest oneClick(String token, Instant now) {
        return WebhookRequests.post(UnsubscribeHandler.ONE_CLICK).query("token", token)
                .header("Content-Type", "application/x-www-form-urlencoded").receivedAt(now).build();
    }

    /** A token altered by one character: what someone guessing another person's link would send. */
    @Override
    protected WebhookRequest forge(WebhookRequest signed) {
        String token = signed.queryParam("token").orElseThrow();
        char last = token.charAt(token.length() - 1);
        return WebhookRequests.from(signed)
                .replaceQuery("token", token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A')).build();
    }

    @Override
    protected Map<String, String> notApplicable() {
        String why = "the kit checks actions on the HTTP traffic of its WireMock server; this sender speaks SMTP, "
                + "so EmailActionSenderTest checks the same contract against GreenMail";
        return Map.of("action-errors-classified", why, "action-idempotency-key", why);
    }
}
