package io.omnihub.connectors.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

/** SMTP reply codes (RFC 5321) as the hub reads them. */
class SmtpErrorsTest {

    private static SMTPSendFailedException sendFailed(int code, String text) {
        return new SMTPSendFailedException("DATA", code, code + " " + text, null, null, null, null);
    }

    @Test
    void throttlingRepliesWaitTransientRepliesRetryPermanentRepliesDeadLetter() throws Exception {
        assertThat(SmtpErrors.of(sendFailed(421, "4.7.0 Too many messages, rate limit exceeded")))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfter()).isEqualTo(SmtpErrors.THROTTLED_WAIT));
        assertThat(SmtpErrors.of(sendFailed(451, "4.3.0 Local error in processing"))).isInstanceOf(TransientException.class);
        assertThat(SmtpErrors.of(new SMTPAddressFailedException(new InternetAddress("nobody@example.com"), "RCPT TO", 550,
                "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown")))
                .isInstanceOf(BadInputException.class).hasMessageNotContaining("nobody@example.com");
        assertThat(SmtpErrors.of(sendFailed(554, "5.7.1 Message rejected as spam"))).isInstanceOf(BadInputException.class);
        assertThat(SmtpErrors.of(sendFailed(535, "5.7.8 Authentication credentials invalid"))).isInstanceOf(ConfigException.class);
    }

    @Test
    void aRefusedLoginIsConfigAndALostConnectionIsTransient() {
        assertThat(SmtpErrors.of(new AuthenticationFailedException("535 5.7.8 Error: authentication failed")))
                .isInstanceOf(ConfigException.class);
        assertThat(SmtpErrors.of(new MessagingException("Couldn't connect to host", new ConnectException("Connection refused"))))
                .isInstanceOf(TransientException.class);
    }
}
