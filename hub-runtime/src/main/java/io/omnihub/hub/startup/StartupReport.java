package io.omnihub.hub.startup;

import io.omnihub.crm.automation.DefinitionFolder;
import io.omnihub.hub.HubProperties;
import io.omnihub.hub.automation.DefinitionFolderWatch;
import io.omnihub.hub.broker.BrokerEndpoint;
import io.omnihub.hub.connectors.ConnectorInstances;
import io.omnihub.hub.connectors.InstanceStatus;
import io.omnihub.hub.database.EmbeddedPostgresServer;
import io.omnihub.hub.demo.DemoMode;
import io.omnihub.hub.plugins.PluginRuntime;
import io.omnihub.hub.plugins.PluginStatus;
import io.omnihub.hub.security.AdminCredentials;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Logs one block once the hub is ready: where it listens, how to log in, where its data and plugins
 * are, and what it started. The first thing a person who just ran {@code java -jar} needs to read.
 * At the first start, the generated admin password follows on the console, outside the log.
 */
@Component
public class StartupReport implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final HubProperties properties;
    private final AdminCredentials admin;
    private final PluginRuntime plugins;
    private final ConnectorInstances instances;
    private final ObjectProvider<EmbeddedPostgresServer> embeddedPostgres;
    private final BrokerEndpoint broker;
    private final Environment environment;
    private final ObjectProvider<DefinitionFolderWatch> automationDefinitions;
    private final ObjectProvider<DemoMode> demo;

    public StartupReport(HubProperties properties, AdminCredentials admin, PluginRuntime plugins, ConnectorInstances instances,
                         ObjectProvider<EmbeddedPostgresServer> embeddedPostgres, BrokerEndpoint broker, Environment environment,
                         ObjectProvider<DefinitionFolderWatch> automationDefinitions, ObjectProvider<DemoMode> demo) {
        this.properties = properties;
        this.admin = admin;
        this.plugins = plugins;
        this.instances = instances;
        this.embeddedPostgres = embeddedPostgres;
        this.broker = broker;
        this.environment = environment;
        this.automationDefinitions = automationDefinitions;
        this.demo = demo;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        log.info(render(listeningUrl(event)));
        if (admin.newlyGenerated()) {
            // Straight to the console, never through the log (whose files outlive the moment): the only
            // time the generated password is shown. It stays in its owner-only file.
            System.out.println(passwordNotice());
            System.out.flush();
        }
    }

    /** What the console shows, once, at the start that generated the admin password. */
    String passwordNotice() {
        String rule = "=".repeat(78);
        return rule + "\n  Admin password, generated now and shown this once: " + admin.password()
                + "\n  (kept in " + admin.file() + ", readable by this user only; set HUB_SECURITY_ADMIN_PASSWORD to choose one)\n" + rule;
    }

    /** The block as logged. */
    String render(String url) {
        StringBuilder out = new StringBuilder();
        String rule = "=".repeat(78);
        out.append('\n').append(rule).append('\n');
        out.append("  OmniHub is ready\n");
        DemoMode demoMode = demo.getIfAvailable();
        if (demoMode != null) {
            DemoMode.Status status = demoMode.status();
            line(out, "DEMO", "channels simulated at " + status.simulatorUrl() + "; a brand's day plays every "
                    + status.dayLengthSeconds() + " s (docs/first-hour.md)");
        }
        line(out, "Listening", url);
        line(out, "Console", url + "   (route health board, plugins, dead letters, customers)");
        line(out, "API", url + "api/v1   (OpenAPI: " + url + "v3/api-docs, health: " + url + "actuator/health)");
        if (admin.generated()) {
            line(out, "Admin login", admin.username() + " / the generated password in " + admin.file()
                    + (admin.newlyGenerated() ? "   (shown below, once)" : ""));
        } else {
            line(out, "Admin login", admin.username() + " / (set by HUB_SECURITY_ADMIN_PASSWORD)");
        }
        line(out, "Data dir", properties.getDataDir().toAbsolutePath().normalize().toString());
        EmbeddedPostgresServer postgres = embeddedPostgres.getIfAvailable();
        line(out, "Database", postgres != null
                ? "embedded PostgreSQL on localhost:" + postgres.port() + " (" + postgres.dataDir() + ")"
                : "external " + withoutCredentials(environment.getProperty("spring.datasource.url", "")));
        line(out, "Broker", broker.embedded()
                ? "embedded Artemis (" + broker.url() + "), journal under "
                        + java.nio.file.Path.of(environment.getProperty("spring.artemis.embedded.data-directory", ".")).toAbsolutePath().normalize()
                : "external Artemis " + broker.url());
        line(out, "Plugins dir", plugins.dir() + "   (watched every " + properties.getPlugins().getScanInterval().toMillis() + " ms)");
        List<PluginStatus> pluginStatuses = plugins.plugins();
        if (pluginStatuses.isEmpty()) {
            line(out, "Plugins", "none yet: copy connector plugin JARs into the plugins dir");
        }
        for (PluginStatus plugin : pluginStatuses) {
            line(out, "Plugin", plugin.id() + (plugin.version() == null ? "" : " " + plugin.version()) + " " + plugin.state()
                    + (plugin.connectors().isEmpty() ? "" : " " + plugin.connectors())
                    + (plugin.reason() == null ? "" : ": " + plugin.reason()));
        }
        List<InstanceStatus> statuses = instances.statuses();
        if (statuses.isEmpty()) {
            line(out, "Instances", "none configured (hub.connectors.<connector>.<instance>.*)");
        }
        for (InstanceStatus instance : statuses) {
            line(out, "Instance", instance.connector() + "/" + instance.instance() + " " + instance.state()
                    + (instance.error() == null ? "" : ": " + instance.error()));
        }
        DefinitionFolderWatch automation = automationDefinitions.getIfAvailable();
        if (automation != null) {
            DefinitionFolder folder = automation.folder();
            var definitions = folder.status();
            long refused = definitions.stream().filter(d -> d.error() != null).count();
            line(out, "Automation", folder.dir() + "   (" + definitions.stream().mapToInt(DefinitionFolder.SourceStatus::rules).sum()
                    + " rules, " + definitions.stream().mapToInt(DefinitionFolder.SourceStatus::segments).sum() + " segments, "
                    + definitions.stream().mapToInt(DefinitionFolder.SourceStatus::journeys).sum() + " journeys"
                    + (refused == 0 ? "" : "; " + refused + " refused, see /api/v1/automation") + ")");
        }
        out.append(rule);
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append("  ").append(String.format("%-12s", label)).append(": ").append(value).append('\n');
    }

    private String listeningUrl(ApplicationReadyEvent event) {
        String contextPath = environment.getProperty("server.servlet.context-path", "");
        if (!contextPath.endsWith("/")) {
            contextPath += "/";
        }
        if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            return "http://localhost:" + web.getWebServer().getPort() + contextPath;
        }
        return "(no web server)";
    }

    // user:password@ in a JDBC URL, or a password= parameter, never go to the log.
    private static String withoutCredentials(String jdbcUrl) {
        return jdbcUrl.replaceAll("//[^/@]*@", "//").replaceAll("(?i)(password=)[^&;]*", "$1******");
    }
}
