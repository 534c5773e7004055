package io.omnihub.hub.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.omnihub.routes.privacy.PersonalDataMasker;

/**
 * Logback's {@code %m}/{@code %msg}/{@code %message} with personal data and known secrets masked
 * (see {@code logback-spring.xml}), so that the hub's own logs, Camel's and every library's stay free
 * of secrets and phone numbers whoever wrote the message.
 */
public class MaskingMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return PersonalDataMasker.mask(super.convert(event), SecretValues.isEmpty() ? java.util.List.of() : SecretValues.all());
    }
}
