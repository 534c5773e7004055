package io.omnihub.hub.privacy;

import io.omnihub.crm.CustomerExport;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The privacy audit and the access export. */
@Configuration(proxyBeanMethods = false)
public class PrivacyConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    PrivacyAudit privacyAudit(DataSource dataSource, Clock clock) {
        return new PrivacyAudit(dataSource, clock);
    }

    @Bean
    @DependsOnDatabaseInitialization
    CustomerExport customerExport(DataSource dataSource, Clock clock) {
        return new CustomerExport(dataSource, clock);
    }
}
