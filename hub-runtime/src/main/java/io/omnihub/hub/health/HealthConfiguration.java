package io.omnihub.hub.health;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Every health indicator of the hub (database, broker, disk, Camel, ...) answers within
 * {@code hub.health.timeout}, all checks running side by side, so {@code /actuator/health} answers
 * within two seconds and names the dependency that is down even while it hangs (DESIGN §4).
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    // Static, and bound by hand: a bean post-processor and what it uses are created before
    // configuration properties are bound.
    @Bean(destroyMethod = "close")
    static HealthChecks healthChecks(Environment environment) {
        HealthProperties properties = Binder.get(environment).bindOrCreate("hub.health", HealthProperties.class);
        return new HealthChecks(properties.getTimeout());
    }

    @Bean
    static BeanPostProcessor boundedHealthIndicators(ObjectProvider<HealthChecks> checks) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HealthIndicator indicator && !(bean instanceof BoundedHealthIndicator)) {
                    return new BoundedHealthIndicator(indicator, checks.getObject());
                }
                return bean;
            }
        };
    }
}
