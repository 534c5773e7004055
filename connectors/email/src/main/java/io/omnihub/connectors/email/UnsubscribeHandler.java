package io.omnihub.connectors.email;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The unsubscribe link, {@code /hooks/email/<instance>?token=...}:
 * <ul>
 *   <li>{@code GET} (a person following the link; also mail scanners, which must not unsubscribe
 *       anyone) shows a confirmation page whose button posts the one-click form;</li>
 *   <li>{@code POST} with {@code List-Unsubscribe=One-Click} (RFC 8058: the mail client's
 *       unsubscribe button, or the page's) unsubscribes: one record, answered with a short page.</li>
 * </ul>
 * A token this instance did not issue is a bad signature: 401, nothing kept. The record carries the
 * opened token (address and message reference), so the normalizer needs no secret.
 */
final class UnsubscribeHandler implements WebhookHandler {

    static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    private final UnsubscribeLinks links;

    UnsubscribeHandler(UnsubscribeLinks links) {
        this.links = links;
    }

    @Override
    public WebhookResult handle(WebhookRequest request) {
        String token = request.queryParam(UnsubscribeLinks.TOKEN)
                .orElseThrow(() -> new BadSignatureException("unsubscribe link without its token"));
        UnsubscribeToken.Subject subject = links.open(token)
                .orElseThrow(() -> new BadSignatureException("unsubscribe token was not issued by this instance"));
        if (request.isGet()) {
            return WebhookResult.replyOnly(html(200, confirmationPage(subject.recipient())));
        }
        String body = request.bodyAsUtf8().strip();
        if (!body.contains(ONE_CLICK)) {
            throw new BadInputException("unsubscribe POST without '" + ONE_CLICK + "' (RFC 8058)");
        }
        String json = "{\"email\":" + quote(subject.recipient()) + ",\"messageRef\":" + quote(subject.messageRef())
                + ",\"via\":\"one-click\"}";
        RawRecord record = new RawRecord(subject.messageRef(), "application/json", json.getBytes(StandardCharsets.UTF_8),
                Map.of("kind", "unsubscribe"), request.receivedAt());
        return WebhookResult.accept(html(200, donePage()), List.of(record));
    }

    private static String confirmationPage(String recipient) {
        return page("退订 / Unsubscribe",
                "<p>停止向 " + EmailTemplates.escape(masked(recipient)) + " 发送营销邮件？<br>"
                        + "Stop marketing e-mails to " + EmailTemplates.escape(masked(recipient)) + "?</p>"
                        + "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                        + "<button type=\"submit\">退订 / Unsubscribe</button></form>");
    }

    private static String donePage() {
        return page("已退订 / Unsubscribed", "<p>已退订营销邮件。<br>You will no longer receive marketing e-mails.</p>");
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<meta name=\"robots\" content=\"noindex\"><title>" + title + "</title></head><body>" + body + "</body></html>";
    }

    private static WebhookReply html(int status, String page) {
        return new WebhookReply(status, "text/html;charset=UTF-8", page.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code l***@example.com}: enough for the person to recognise, not the address. */
    static String masked(String address) {
        int at = address.indexOf('@');
        return at <= 0 ? "***" : address.charAt(0) + "***" + address.substring(at);
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
