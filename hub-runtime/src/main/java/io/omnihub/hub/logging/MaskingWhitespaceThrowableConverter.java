package io.omnihub.hub.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.CoreConstants;

/**
 * Spring Boot's {@code %wEx}/{@code %wex} (the stack trace on lines of its own, which Spring Boot's
 * default patterns end with), masked like {@link MaskingThrowableConverter}.
 */
public class MaskingWhitespaceThrowableConverter extends MaskingThrowableConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return CoreConstants.LINE_SEPARATOR + super.throwableProxyToString(tp) + CoreConstants.LINE_SEPARATOR;
    }
}
