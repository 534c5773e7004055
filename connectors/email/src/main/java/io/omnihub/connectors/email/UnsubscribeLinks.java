package io.omnihub.connectors.email;

import java.util.Optional;

/**
 * The hub's unsubscribe URL for one recipient and message:
 * {@code <public-base-url>/hooks/email/<instance>?token=<token>}, the token an
 * {@link UnsubscribeToken} only this instance can issue and open.
 */
final class UnsubscribeLinks {

    static final String TOKEN = "token";

    private final String base;
    private final UnsubscribeToken tokens;

    UnsubscribeLinks(EmailConfig config, String connectorId, String instanceId) {
        this.base = config.publicBaseUrl() + "/hooks/" + connectorId + "/" + instanceId + "?" + TOKEN + "=";
        this.tokens = new UnsubscribeToken(config.unsubscribeSecret());
    }

    String url(String recipient, String messageRef) {
        return base + tokens.issue(recipient, messageRef);
    }

    Optional<UnsubscribeToken.Subject> open(String token) {
        return tokens.open(token);
    }
}
