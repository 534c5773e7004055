package io.omnihub.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The brand's mail server: GreenMail's SMTP on a free port of 127.0.0.1, which takes every mail the
 * hub's e-mail instance sends (no login, no TLS: a relay on the same machine) and keeps it, so a
 * customer can use the one-click unsubscribe link (RFC 8058) of a mail they received.
 */
final class MailChannel implements AutoCloseable {

    private final GreenMail server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    void start() {
        server.start();
    }

    int smtpPort() {
        return server.getSmtp().getPort();
    }

    /**
     * The person presses the mail client's unsubscribe button on the latest mail they received: a
     * POST of {@code List-Unsubscribe=One-Click} to the mail's {@code List-Unsubscribe} link, which
     * names the hub's instance and token. Printed and skipped when no mail reached them yet.
     */
    void unsubscribe(HubClient hub, Person person) {
        Optional<MimeMessage> latest = latestTo(person.email());
        if (latest.isEmpty()) {
            Log.line("  (no mail reached " + person.name() + " yet: nothing to unsubscribe from)");
            return;
        }
        URI link = listUnsubscribe(latest.get());
        Log.line("  → " + person.name() + " unsubscribes with the link in the mail '" + subject(latest.get()) + "'");
        String path = link.getRawPath();
        String prefix = "/hooks/email/";
        if (path == null || !path.startsWith(prefix)) {
            Log.line("  ! the mail's List-Unsubscribe link " + path + " is not the hub's");
            return;
        }
        hub.push("email", path.substring(prefix.length()), "?" + link.getRawQuery(),
                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "List-Unsubscribe=One-Click".getBytes(StandardCharsets.UTF_8));
    }

    private Optional<MimeMessage> latestTo(String address) {
        MimeMessage[] received = server.getReceivedMessages();
        for (int i = received.length - 1; i >= 0; i--) {
            try {
                Address[] to = received[i].getAllRecipients();
                if (to != null) {
                    for (Address recipient : to) {
                        if (recipient.toString().toLowerCase(Locale.ROOT).contains(address)) {
                            return Optional.of(received[i]);
                        }
                    }
                }
            } catch (MessagingException e) {
                Log.line("  ! a mail the server took cannot be read: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static String subject(MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (MessagingException e) {
            return "?";
        }
    }

    private static URI listUnsubscribe(MimeMessage mail) {
        try {
            String header = mail.getHeader("List-Unsubscribe", ",");
            if (header == null) {
                throw new IllegalStateException("the mail has no List-Unsubscribe header");
            }
            int open = header.indexOf('<');
            int close = header.indexOf('>', open);
            return URI.create(header.substring(open + 1, close).strip());
        } catch (MessagingException e) {
            throw new IllegalStateException("the mail cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
