package io.omnihub.hub.database;

import com.zaxxer.hikari.HikariDataSource;
import io.omnihub.hub.HubProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The default database: an embedded PostgreSQL on {@code ${hub.data-dir}/postgres}, used when
 * {@code spring.datasource.url} is not set. With it set, Spring Boot's own DataSource configuration
 * takes over and this class contributes nothing.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseCondition.class)
public class EmbeddedDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgres(HubProperties properties) {
        HubProperties.EmbeddedDatabase settings = properties.getEmbeddedDatabase();
        return EmbeddedPostgresServer.start(properties.getDataDir().resolve("postgres"), settings.getPort(),
                settings.getStartupTimeout(), settings.getStaleServerStopTimeout(), settings.getSettings());
    }

    /**
     * A Hikari pool on the embedded server; {@code spring.datasource.hikari.*} still tunes it. Being
     * a dependent of the server, it is closed before the server stops.
     */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresServer server) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(server.jdbcUrl());
        dataSource.setUsername(server.username());
        dataSource.setPassword(server.password());
        dataSource.setPoolName("hub");
        return dataSource;
    }
}
