package io.omnihub.hub.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stack traces in the hub's logs: every message in them masked, the trace itself kept. */
class MaskingThrowableConverterTest {

    private final LoggerContext context = new LoggerContext();

    @Test
    void messagesOfTheExceptionItsCausesAndSuppressedOnesAreMasked() {
        IllegalStateException failure = new IllegalStateException("no customer for openid oU7bN5aBcDeFgHiJkLmNoPqRsTuV",
                new SQLException("ERROR: null value in column \"customer_id\" violates not-null constraint\n"
                        + "  Detail: Failing row contains (phone, , 13912345678, 王芳, 上海市静安区南京西路1号)."));
        failure.addSuppressed(new RuntimeException("{\"receiver_name\":\"王芳\",\"receiver_address\":\"上海市静安区南京西路1号\"}"));

        for (ThrowableHandlingConverter converter : List.of(new MaskingThrowableConverter(), new MaskingWhitespaceThrowableConverter(),
                new MaskingRootCauseFirstThrowableConverter())) {
            String trace = render(converter, failure);

            assertThat(trace).contains("IllegalStateException: no customer for openid oU7b****", "Failing row contains (***)",
                            "\"receiver_name\":\"王***\"", "at io.omnihub.hub.logging.MaskingThrowableConverterTest")
                    .doesNotContain("oU7bN5aBcDeFgHiJkLmNoPqRsTuV", "13912345678", "王芳", "南京西路");
        }
    }

    @Test
    void configuredSecretsInExceptionTextAreMasked() {
        SecretValues.register(List.of("throwable-secret-8812"));

        assertThat(render(new MaskingThrowableConverter(), new IllegalArgumentException("refused throwable-secret-8812")))
                .contains("refused ******").doesNotContain("throwable-secret-8812");
    }

    private String render(ThrowableHandlingConverter converter, Throwable failure) {
        converter.setContext(context);
        converter.start();
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("test"), Level.ERROR, "failed", failure, null);
        return converter.convert(event);
    }
}
