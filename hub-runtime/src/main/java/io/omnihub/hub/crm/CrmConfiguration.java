package io.omnihub.hub.crm;

import io.omnihub.crm.CrmCore;
import io.omnihub.crm.IdentityPolicy;
import io.omnihub.crm.automation.Automation;
import io.omnihub.hub.HubProperties;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The CRM core with its automation, and its identity policy, configured from {@code hub.identity.*}. */
@Configuration(proxyBeanMethods = false)
public class CrmConfiguration {

    /** The hub's clock; connectors, the token cache and the CRM core all read time from it. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    IdentityPolicy identityPolicy(HubProperties properties) {
        return identityPolicy(properties.getIdentity());
    }

    @Bean
    @DependsOnDatabaseInitialization
    CrmCore crmCore(DataSource dataSource, IdentityPolicy identityPolicy, Clock clock, Automation automation) {
        return new CrmCore(dataSource, identityPolicy, clock, automation);
    }

    /** Maps {@code hub.identity.*} onto the CRM core's policy properties, starting from its defaults. */
    static IdentityPolicy identityPolicy(HubProperties.Identity identity) {
        Map<String, String> flat = new LinkedHashMap<>();
        identity.getTypes().forEach((type, rule) -> rule.forEach((key, value) -> flat.put("types." + type + "." + key, value)));
        identity.getBlockedValues().forEach((type, values) -> {
            String key = "types." + type + ".blocked-values";
            String joined = String.join(",", values);
            flat.merge(key, joined, (a, b) -> a + "," + b);
        });
        flat.put("phone.region", identity.getPhone().getRegion());
        flat.put("phone.linkable-kinds", String.join(",", identity.getPhone().getLinkableKinds()));
        flat.put("shared.types", String.join(",", identity.getShared().getTypes()));
        flat.put("shared.peers", Integer.toString(identity.getShared().getPeers()));
        flat.put("shared.walk-ins", Integer.toString(identity.getShared().getWalkIns()));
        flat.put("shared.corroborations", Integer.toString(identity.getShared().getCorroborations()));
        return IdentityPolicy.fromProperties(flat);
    }
}
