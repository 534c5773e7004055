package io.omnihub.hub.database;

import com.zaxxer.hikari.HikariDataSource;
import io.omnihub.hub.HubProperties;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
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

    /**
     * The server: the one {@link EmbeddedPostgresEarlyStart} began starting while the hub was still
     * being configured, else started here.
     */
    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgres(HubProperties properties, ObjectProvider<EmbeddedPostgresEarlyStart.Launch> earlyStart) {
        EmbeddedPostgresEarlyStart.Launch launch = earlyStart.getIfAvailable();
        return (launch == null ? Optional.<EmbeddedPostgresServer>empty() : launch.take(properties.getDataDir().resolve("postgres")))
                .orElseGet(() -> start(properties.getDataDir(), properties.getEmbeddedDatabase()));
    }

    /** Starts the server of the hub whose data folder is {@code dataDir}. */
    static EmbeddedPostgresServer start(Path dataDir, HubProperties.EmbeddedDatabase settings) {
        return EmbeddedPostgresServer.start(dataDir.resolve("postgres"), settings.getPort(),
                settings.getStartupTimeout(), settings.getStaleServerStopTimeout());
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
