package io.omnihub.hub.database;

import io.omnihub.crm.CrmSchema;
import javax.sql.DataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Migrates the database at startup: first the CRM core's tables ({@link CrmSchema}, own history
 * table {@code crm_schema_history}), then the runtime's own ({@code classpath:db/migration/hub},
 * history table {@code hub_schema_history}, see application.yml). Spring Boot's Flyway support runs
 * this before any bean that uses the database is created.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseSchemaConfiguration {

    @Bean
    FlywayMigrationStrategy crmThenHubMigrations(DataSource dataSource) {
        return hubFlyway -> {
            CrmSchema.migrate(dataSource);
            hubFlyway.migrate();
        };
    }
}
