package io.omnihub.hub.logging;

import ch.qos.logback.classic.pattern.RootCauseFirstThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback's {@code %rEx} (root cause first), masked like {@link MaskingThrowableConverter}. */
public class MaskingRootCauseFirstThrowableConverter extends RootCauseFirstThrowableProxyConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return MaskingThrowableConverter.mask(super.convert(event));
    }
}
