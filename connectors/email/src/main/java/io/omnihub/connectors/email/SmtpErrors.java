package io.omnihub.connectors.email;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.ConnectorException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an SMTP failure means to the hub, by its reply code (RFC 5321) where the server gave one.
 * Messages quote the code and the server's text, never an address or the password.
 */
final class SmtpErrors {

    /** How long to wait when a server throttles without saying how long. */
    static final Duration THROTTLED_WAIT = Duration.ofSeconds(60);
    private static final Pattern REPLY_CODE = Pattern.compile("^([245]\\d\\d)[ -]");
    private static final Pattern THROTTLING = Pattern.compile("(?i)rate|limit|too many|throttl|频率|限制");

    private SmtpErrors() {
    }

    static ConnectorException of(MessagingException e) {
        if (e instanceof AuthenticationFailedException) {
            return new ConfigException("the SMTP server refused the login: check username and password");
        }
        if (e instanceof AddressException) {
            return new BadInputException("not an e-mail address");
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException && !(cause instanceof MessagingException)) {
                return new TransientException("SMTP server unreachable or connection lost: " + cause.getClass().getSimpleName());
            }
        }
        int code = replyCode(e);
        String text = serverText(e);
        String what = "SMTP server answered " + (code > 0 ? code + " " : "") + text;
        if (code == 530 || code == 534 || code == 535 || code == 538) {
            return new ConfigException(what + ": check username, password and smtp-security");
        }
        if (code >= 400 && code < 500) {
            return code == 421 || code == 450 || code == 451 || code == 452 || code == 454
                    ? (THROTTLING.matcher(text).find() ? new RateLimitedException(what, THROTTLED_WAIT) : new TransientException(what))
                    : new TransientException(what);
        }
        if (code >= 500) {
            // 550 no such mailbox, 551/553 address refused, 552 too big, 554 refused: the same mail fails again.
            return new BadInputException(what);
        }
        return new TransientException("SMTP conversation failed: " + e.getClass().getSimpleName());
    }

    /** The reply code: from Angus' typed exceptions, else the first one in the message. */
    static int replyCode(MessagingException e) {
        for (Exception next = e; next != null; next = next instanceof MessagingException m ? m.getNextException() : null) {
            try {
                Object code = next.getClass().getMethod("getReturnCode").invoke(next);
                if (code instanceof Integer i && i > 0) {
                    return i;
                }
            } catch (ReflectiveOperationException notAnSmtpException) {
                // fall through to the message
            }
            Matcher m = REPLY_CODE.matcher(String.valueOf(next.getMessage()).strip());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return -1;
    }

    private static String serverText(MessagingException e) {
        String message = String.valueOf(e.getMessage()).strip();
        // The server's own line without addresses the client may have put around it.
        String line = message.lines().findFirst().orElse("").replaceAll("<[^>]*@[^>]*>", "<…>");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line.toLowerCase(Locale.ROOT).contains("password") ? "" : line;
    }
}
