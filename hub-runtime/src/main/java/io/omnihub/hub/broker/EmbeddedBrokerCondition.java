package io.omnihub.hub.broker;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the hub should run its own broker: {@code spring.artemis.mode} is {@code embedded},
 * or unset while {@code spring.artemis.embedded.enabled} is not false (Spring Boot's own default).
 */
class EmbeddedBrokerCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String mode = context.getEnvironment().getProperty("spring.artemis.mode", "");
        if (mode.equalsIgnoreCase("native")) {
            return ConditionOutcome.noMatch("spring.artemis.mode=native: using the external broker");
        }
        if (mode.isBlank() && !context.getEnvironment().getProperty("spring.artemis.embedded.enabled", Boolean.class, true)) {
            return ConditionOutcome.noMatch("spring.artemis.embedded.enabled=false");
        }
        return ConditionOutcome.match("embedded Artemis");
    }
}
