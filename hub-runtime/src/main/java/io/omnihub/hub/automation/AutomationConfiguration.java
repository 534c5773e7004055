package io.omnihub.hub.automation;

import io.omnihub.crm.SweepClaims;
import io.omnihub.crm.automation.Automation;
import io.omnihub.crm.automation.DefinitionFolder;
import io.omnihub.crm.automation.DefinitionStore;
import io.omnihub.hub.HubProperties;
import io.omnihub.hub.cluster.ClusterNodes;
import io.omnihub.hub.http.ResilienceRegistries;
import io.omnihub.hub.http.ResilientChannelHttpClient;
import io.omnihub.hub.logging.SecretValues;
import io.omnihub.routes.ActionDispatchRoute;
import io.omnihub.routes.ActionOutboxRoute;
import io.omnihub.routes.ConnectorRegistry;
import io.omnihub.routes.JourneyTimersRoute;
import io.omnihub.routes.TraitBackfillRoute;
import io.omnihub.routes.SegmentSweepRoute;
import io.omnihub.routes.action.ActionMessages;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.RawJournal;
import io.omnihub.routes.stage.ActionDispatchStage;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Automation (DESIGN §5): the engine the CRM core runs in each batch's transaction, its definitions
 * from {@code hub.automation.dir} and the API, and the routes that fire timers
 * ({@code journey-timers}), keep windowed traits' counters in step with their definitions
 * ({@code trait-backfill}), keep time-based segments current ({@code segment-sweep}), move planned
 * actions to {@code hub.actions} ({@code action-outbox}) and
 * send them through connector instances ({@code action-dispatch}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AutomationProperties.class)
public class AutomationConfiguration {

    @Bean
    Automation automation(DataSource dataSource, Clock clock, AutomationProperties properties) {
        return new Automation(dataSource, clock, properties.getGuards().toSettings());
    }

    @Bean
    DefinitionStore definitionStore(DataSource dataSource, Clock clock) {
        return new DefinitionStore(dataSource, clock);
    }

    @Bean
    @DependsOnDatabaseInitialization
    DefinitionFolderWatch definitionFolderWatch(AutomationProperties properties, DefinitionStore store, Automation automation) {
        return new DefinitionFolderWatch(new DefinitionFolder(properties.getDir(), store, automation), properties.getScanInterval());
    }

    @Bean
    ActionMessages actionMessages() {
        return new ActionMessages();
    }

    @Bean
    HubActionTargets actionTargets(ConnectorRegistry registry, ResilienceRegistries registries, HttpClient channelHttpClient,
                                   HubProperties hub, AutomationProperties properties, Clock clock) {
        Map<String, OutboundWebhookSender> webhooks = new LinkedHashMap<>();
        properties.getWebhooks().forEach((target, settings) -> {
            SecretValues.register(settings.getSecret() == null ? List.of() : List.of(settings.getSecret()));
            webhooks.put(target, new OutboundWebhookSender(target, settings, new ResilientChannelHttpClient(
                    OutboundWebhookSender.CONNECTOR, target, channelHttpClient, registries, hub.getResilience()), clock));
        });
        return new HubActionTargets(registry, registries, webhooks);
    }

    @Bean
    JourneyTimersRoute journeyTimersRoute(Automation automation, AutomationProperties properties) {
        return new JourneyTimersRoute(automation, properties.getTimerInterval());
    }

    @Bean
    TraitBackfillRoute traitBackfillRoute(Automation automation, DataSource dataSource, Clock clock, ClusterNodes nodes,
                                          AutomationProperties properties) {
        return new TraitBackfillRoute(automation, new SweepClaims(dataSource, clock, nodes.nodeId()), properties.getTraitInterval());
    }

    @Bean
    SegmentSweepRoute segmentSweepRoute(Automation automation, DataSource dataSource, Clock clock, ClusterNodes nodes,
                                        AutomationProperties properties) {
        return new SegmentSweepRoute(automation, new SweepClaims(dataSource, clock, nodes.nodeId()),
                properties.getSweep().toSchedule(), properties.getSweep().getCheckInterval());
    }

    @Bean
    ActionOutboxRoute actionOutboxRoute(Automation automation, RawJournal rawJournal, ActionMessages messages,
                                        AutomationProperties properties) {
        return new ActionOutboxRoute(automation, rawJournal, messages, properties.getOutboxInterval());
    }

    @Bean
    ActionDispatchRoute actionDispatchRoute(HubActionTargets targets, ActionMessages messages, Automation automation,
                                            AutomationProperties properties) {
        // Scheduled redeliveries are in the broker's time, the wall clock, whatever clock the hub reads.
        return new ActionDispatchRoute(new ActionDispatchStage(targets, messages, automation, Backoff.defaults(), Clock.systemUTC()),
                properties.getDispatchConsumers());
    }
}
