package io.omnihub.hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** OmniHub: {@code java -jar omnihub.jar} starts a complete hub with embedded PostgreSQL and Artemis. */
@SpringBootApplication
@EnableConfigurationProperties(HubProperties.class)
public class HubApplication {

    public static void main(String[] args) {
        SpringApplication.run(HubApplication.class, args);
    }
}
