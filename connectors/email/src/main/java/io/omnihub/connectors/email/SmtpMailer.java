package io.omnihub.connectors.email;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.Properties;

/**
 * One SMTP account through Eclipse Angus Mail: builds MIME messages and hands them to the server.
 * One conversation per send; nothing is pooled, so a node holds no connection between actions.
 *
 * <p>Jakarta Mail finds its providers (SMTP, the MIME stream provider, activation's mailcaps)
 * through the thread's context class loader first. The hub calls a plugin on its own threads, whose
 * context class loader is the hub's, which bundles no mail implementation (and may carry other
 * versions of the APIs); so every mail operation runs with the plugin's class loader as context
 * loader, restored afterwards.
 */
final class SmtpMailer {

    private final EmailConfig config;
    private final Clock clock;
    private final Session session;

    SmtpMailer(EmailConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.session = inPluginContext(() -> Session.getInstance(properties(config)));
    }

    /** A mail operation, which may fail as SMTP does ({@code E}: a {@link MessagingException} or none). */
    private interface MailOperation<T, E extends Exception> {
        T run() throws E;
    }

    private static <T, E extends Exception> T inPluginContext(MailOperation<T, E> operation) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        thread.setContextClassLoader(SmtpMailer.class.getClassLoader());
        try {
            return operation.run();
        } finally {
            thread.setContextClassLoader(caller);
        }
    }

    private static Properties properties(EmailConfig config) {
        String protocol = config.security() == EmailConfig.Security.SSL ? "smtps" : "smtp";
        String timeout = Long.toString(config.timeout().toMillis());
        Properties p = new Properties();
        p.put("mail.transport.protocol", protocol);
        p.put("mail." + protocol + ".host", config.smtpHost());
        p.put("mail." + protocol + ".port", Integer.toString(config.smtpPort()));
        p.put("mail." + protocol + ".auth", Boolean.toString(config.username().isPresent()));
        p.put("mail." + protocol + ".connectiontimeout", timeout);
        p.put("mail." + protocol + ".timeout", timeout);
        p.put("mail." + protocol + ".writetimeout", timeout);
        p.put("mail." + protocol + ".from", config.from().getAddress());
        if (config.security() == EmailConfig.Security.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (config.security() != EmailConfig.Security.NONE) {
            p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        return p;
    }

    /**
     * Sends one mail.
     *
     * @param messageId the Message-ID, angle brackets included
     * @param headers   further headers ({@code List-Unsubscribe}, ...)
     * @throws MessagingException as the server or the connection failed
     */
    void send(InternetAddress to, EmailContent content, String messageId, Map<String, String> headers) throws MessagingException {
        inPluginContext(() -> {
            sendInContext(to, content, messageId, headers);
            return null;
        });
    }

    private void sendInContext(InternetAddress to, EmailContent content, String messageId, Map<String, String> headers)
            throws MessagingException {
        MimeMessage message = new FixedIdMessage(session, messageId);
        message.setFrom(config.from());
        config.replyTo().ifPresent(replyTo -> {
            try {
                message.setReplyTo(new InternetAddress[] {replyTo});
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        });
        message.setRecipient(Message.RecipientType.TO, to);
        message.setSubject(content.subject(), StandardCharsets.UTF_8.name());
        message.setSentDate(Date.from(clock.instant()));
        for (Map.Entry<String, String> header : headers.entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
        if (content.html() == null) {
            message.setText(content.text(), StandardCharsets.UTF_8.name());
        } else {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(content.text(), StandardCharsets.UTF_8.name());
            MimeBodyPart html = new MimeBodyPart();
            html.setText(content.html(), StandardCharsets.UTF_8.name(), "html");
            message.setContent(new MimeMultipart("alternative", text, html));
        }
        message.saveChanges();
        try (Transport transport = session.getTransport()) {
            connect(transport);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    /** Connects and logs in, nothing more: what {@code check} proves. */
    void verifyLogin() throws MessagingException {
        inPluginContext(() -> {
            try (Transport transport = session.getTransport()) {
                connect(transport);
            }
            return null;
        });
    }

    private void connect(Transport transport) throws MessagingException {
        if (config.username().isPresent()) {
            transport.connect(config.smtpHost(), config.smtpPort(), config.username().get(), config.password().orElseThrow());
        } else {
            transport.connect();
        }
    }

    /** A message whose Message-ID is ours, not one Jakarta Mail makes up on {@code saveChanges()}. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
