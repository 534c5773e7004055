package io.omnihub.hub.logging;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.omnihub.routes.privacy.PersonalDataMasker;

/**
 * Logback's {@code %ex}/{@code %xEx} (and their long names) with personal data and known secrets
 * masked in the whole rendered stack trace: exception messages, causes, suppressed exceptions and
 * the PostgreSQL details a driver exception carries. The message converter alone leaves all of these
 * as thrown (see {@code logback-spring.xml}).
 */
public class MaskingThrowableConverter extends ExtendedThrowableProxyConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return mask(super.convert(event));
    }

    static String mask(String text) {
        return PersonalDataMasker.mask(text, SecretValues.isEmpty() ? java.util.List.of() : SecretValues.all());
    }
}
