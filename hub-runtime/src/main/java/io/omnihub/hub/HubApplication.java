package io.omnihub.hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * OmniHub: {@code java -jar omnihub.jar} starts a complete hub with embedded PostgreSQL and Artemis;
 * {@code --demo} adds the {@code demo} profile, a hub against simulated channels (docs/first-hour.md).
 */
@SpringBootApplication
@EnableConfigurationProperties(HubProperties.class)
public class HubApplication {

    /** The argument that starts demo mode. */
    static final String DEMO = "--demo";

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(HubApplication.class);
        if (java.util.Arrays.asList(args).contains(DEMO)) {
            application.setAdditionalProfiles("demo");
        }
        application.run(java.util.Arrays.stream(args).filter(arg -> !arg.equals(DEMO)).toArray(String[]::new));
    }
}
