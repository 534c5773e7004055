package io.omnihub.hub.logging;

import io.omnihub.routes.privacy.PersonalDataMasker;
import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link System.Logger} handed to a connector instance: it writes to SLF4J logger
 * {@code connector.<connector>.<instance>} (so {@code logging.level.connector.wechat=DEBUG} works)
 * after masking phone numbers, channel ids and the instance's secret values, in the message and in
 * the messages of any exception logged with it.
 */
public final class MaskingSystemLogger implements System.Logger {

    private final Logger delegate;
    private final Set<String> secrets;

    /**
     * @param connectorId the connector id
     * @param instanceId  the instance id
     * @param secrets     the instance's secret configuration values
     */
    public MaskingSystemLogger(String connectorId, String instanceId, java.util.Collection<String> secrets) {
        this.delegate = LoggerFactory.getLogger("connector." + connectorId + "." + instanceId);
        this.secrets = Set.copyOf(secrets);
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        return switch (level) {
            case ALL, TRACE -> delegate.isTraceEnabled();
            case DEBUG -> delegate.isDebugEnabled();
            case INFO -> delegate.isInfoEnabled();
            case WARNING -> delegate.isWarnEnabled();
            case ERROR -> delegate.isErrorEnabled();
            case OFF -> false;
        };
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        if (isLoggable(level)) {
            write(level, mask(localize(bundle, message)), thrown == null ? null : MaskedThrowable.of(thrown, this::mask));
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(level)) {
            String pattern = localize(bundle, format);
            String text = params == null || params.length == 0 ? pattern : formatSafely(pattern, params);
            write(level, mask(text), null);
        }
    }

    @Override
    public void log(Level level, Supplier<String> messageSupplier) {
        if (isLoggable(level)) {
            write(level, mask(messageSupplier.get()), null);
        }
    }

    private static String formatSafely(String pattern, Object[] params) {
        try {
            return MessageFormat.format(pattern, params);
        } catch (IllegalArgumentException malformed) {
            return pattern + " " + List.of(params);
        }
    }

    private static String localize(ResourceBundle bundle, String key) {
        if (bundle != null && key != null && bundle.containsKey(key)) {
            return bundle.getString(key);
        }
        return key;
    }

    private String mask(String text) {
        return PersonalDataMasker.mask(text, secrets);
    }

    private void write(Level level, String text, Throwable thrown) {
        switch (level) {
            case ALL, TRACE -> delegate.trace(text, thrown);
            case DEBUG -> delegate.debug(text, thrown);
            case INFO -> delegate.info(text, thrown);
            case WARNING -> delegate.warn(text, thrown);
            case ERROR -> delegate.error(text, thrown);
            case OFF -> {
            }
        }
    }

    /**
     * A stand-in for a logged exception whose message (and its causes' messages) are masked. Its
     * message starts with the original's type and it keeps the original's stack trace, so the log
     * still says what happened where.
     */
    static final class MaskedThrowable extends RuntimeException {

        private MaskedThrowable(String message, MaskedThrowable cause) {
            super(message, cause, false, true);
        }

        static MaskedThrowable of(Throwable original, java.util.function.UnaryOperator<String> mask) {
            return of(original, mask, 0);
        }

        private static MaskedThrowable of(Throwable original, java.util.function.UnaryOperator<String> mask, int depth) {
            Throwable cause = original.getCause();
            MaskedThrowable maskedCause = cause == null || cause == original || depth > 10 ? null : of(cause, mask, depth + 1);
            String message = original.getMessage() == null
                    ? original.getClass().getName()
                    : original.getClass().getName() + ": " + mask.apply(original.getMessage());
            MaskedThrowable masked = new MaskedThrowable(message, maskedCause);
            masked.setStackTrace(original.getStackTrace());
            return masked;
        }
    }
}
