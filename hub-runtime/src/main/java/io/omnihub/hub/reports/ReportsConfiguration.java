package io.omnihub.hub.reports;

import io.omnihub.crm.reports.Reports;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The CRM core's reports (KPIs, funnels, attribution), read by {@code /api/v1/reports}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReportsProperties.class)
public class ReportsConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    Reports reports(DataSource dataSource) {
        return new Reports(dataSource);
    }
}
