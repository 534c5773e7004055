package io.omnihub.hub.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The logger a connector instance receives writes to SLF4J with personal data and its secrets masked. */
class MaskingSystemLoggerTest {

    private final Logger target = (Logger) LoggerFactory.getLogger("connector.wechat.brand-oa");
    private final ListAppender<ILoggingEvent> appended = new ListAppender<>();

    @BeforeEach
    void capture() {
        appended.start();
        target.addAppender(appended);
    }

    @AfterEach
    void release() {
        target.detachAppender(appended);
    }

    @Test
    void messagesParametersAndExceptionsAreMasked() {
        System.Logger logger = new MaskingSystemLogger("wechat", "brand-oa", List.of("appSecret-0042"));

        logger.log(System.Logger.Level.INFO, "user {0} has phone {1}", "oU7bN5aBcDeFgHiJkLmNoPqRsTuV", "13812345678");
        logger.log(System.Logger.Level.WARNING, "token call failed",
                new IllegalStateException("secret appSecret-0042 refused", new RuntimeException("for 13812345678")));

        assertThat(appended.list).hasSize(2);
        assertThat(appended.list.get(0).getFormattedMessage()).isEqualTo("user oU7b**** has phone 138****5678");
        ILoggingEvent failure = appended.list.get(1);
        assertThat(failure.getThrowableProxy().getMessage()).isEqualTo("java.lang.IllegalStateException: secret ****** refused");
        assertThat(failure.getThrowableProxy().getClassName()).isEqualTo(MaskingSystemLogger.MaskedThrowable.class.getName());
        assertThat(failure.getThrowableProxy().getCause().getMessage()).isEqualTo("java.lang.RuntimeException: for 138****5678");
        assertThat(logger.getName()).isEqualTo("connector.wechat.brand-oa");
    }
}
