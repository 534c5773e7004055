package io.omnihub.hub.sealing;

import io.omnihub.hub.HubProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The hub's {@link Sealer}, from {@code hub.security.sealing.*} or the data folder's key file. */
@Configuration(proxyBeanMethods = false)
public class SealingConfiguration {

    @Bean
    Sealer sealer(HubProperties properties) {
        HubProperties.Security.Sealing sealing = properties.getSecurity().getSealing();
        return SealingKeys.load(sealing.getKey(), sealing.getPreviousKeys(), properties.getDataDir().resolve("sealing.key"));
    }
}
