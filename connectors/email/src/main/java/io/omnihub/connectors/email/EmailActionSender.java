package io.omnihub.connectors.email;

import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.IdentityTypes;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sends {@value #SEND} actions: one e-mail to the recipient's address, rendered by
 * {@link EmailTemplates}, with a one-click unsubscribe link (RFC 8058).
 *
 * <p>The Message-ID is derived from the action id ({@link #messageRef}): every send of one action
 * carries the same Message-ID, which is what mail stores and clients de-duplicate on, and what the
 * unsubscribe link names.
 */
public final class EmailActionSender implements ActionSender {

    public static final String SEND = "email.send";

    private final EmailConfig config;
    private final SmtpMailer mailer;
    private final EmailTemplates templates;
    private final UnsubscribeLinks links;

    EmailActionSender(EmailConfig config, SmtpMailer mailer, EmailTemplates templates, UnsubscribeLinks links) {
        this.config = config;
        this.mailer = mailer;
        this.templates = templates;
        this.links = links;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(SEND);
    }

    @Override
    public ActionResult send(OutboundAction action) {
        if (!SEND.equals(action.kind())) {
            throw new BadInputException("the e-mail connector cannot send actions of kind '" + action.kind() + "'");
        }
        if (action.recipient() == null || !IdentityTypes.EMAIL.equals(action.recipient().type())) {
            throw new BadInputException(SEND + " needs an email recipient");
        }
        InternetAddress to = address(action.recipient().value());
        String ref = messageRef(action.id());
        String unsubscribe = links.url(to.getAddress().toLowerCase(Locale.ROOT), ref);
        EmailContent content = templates.render(action.payload(), unsubscribe);
        String messageId = "<" + ref + "@" + config.domain() + ">";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("List-Unsubscribe", "<" + unsubscribe + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        try {
            mailer.send(to, content, messageId, headers);
        } catch (MessagingException e) {
            throw SmtpErrors.of(e);
        }
        return new ActionResult(messageId, "e-mail accepted by " + config.smtpHost());
    }

    /**
     * The message's reference, the local part of its Message-ID: {@code omnihub.} and the first 32
     * hex digits of the SHA-256 of the action id: the same on every node and every send, and no
     * personal data or rule name in a header every recipient can read.
     */
    static String messageRef(String actionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(actionId.getBytes(StandardCharsets.UTF_8));
            return "omnihub." + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static InternetAddress address(String value) {
        try {
            InternetAddress address = new InternetAddress(value, true);
            if (address.isGroup() || !address.getAddress().contains("@")) {
                throw new AddressException("not a single mailbox");
            }
            return address;
        } catch (AddressException e) {
            throw new BadInputException(SEND + " recipient is not an e-mail address");
        }
    }
}
