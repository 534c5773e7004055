package io.omnihub.hub.demo;

import io.omnihub.hub.connectors.JdbcInstanceStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * A hub in demo mode: the channel simulator {@link DemoEnvironment} started, whose brand's day
 * starts once the hub is ready and which stops with the hub. Also refuses, before any instance
 * opens, instances stored in the database that reach off this machine, and tells the API which
 * instance configurations a demo hub refuses.
 */
public class DemoMode implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DemoMode.class);

    private final DemoProperties properties;
    private final ConfigurableEnvironment environment;
    private final DemoEnvironment.DemoChannels channels;

    /** @param stored the instances operators created over the API, checked before any of them opens */
    public DemoMode(DemoProperties properties, ConfigurableEnvironment environment, JdbcInstanceStore stored) {
        this.properties = properties;
        this.environment = environment;
        if (!(environment.getPropertySources().get(DemoEnvironment.DemoChannels.NAME) instanceof DemoEnvironment.DemoChannels found)) {
            throw new IllegalStateException("hub.demo.enabled is on but the demo's channels were not started: "
                    + DemoEnvironment.class.getName() + " is missing from META-INF/spring.factories");
        }
        this.channels = found;
        Map<String, Map<String, Map<String, String>>> configs = new TreeMap<>();
        stored.configs().forEach((key, config) ->
                configs.computeIfAbsent(key.connector(), k -> new TreeMap<>()).put(key.instance(), config));
        List<String> offMachine = OffMachineInstances.find(configs);
        if (!offMachine.isEmpty()) {
            channels.simulator().close();
            throw new DemoRefusedException("the database holds connector instances against channels off this machine: "
                    + String.join(", ", offMachine), "The demo only talks to its simulated channels: give it a data folder "
                    + "of its own (hub.data-dir, ./demo-data by default) and no spring.datasource.url.");
        }
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : environment.getProperty("server.port", Integer.class, 8080);
        String player = environment.getProperty("hub.security.users." + DemoEnvironment.PLAYER + ".password");
        channels.simulator().play("http://127.0.0.1:" + port, DemoEnvironment.PLAYER, player, dayLength());
        log.info("Demo mode: the channel simulator at {} plays a brand's day every {} s against this hub",
                channels.simulatorUrl(), dayLength().toSeconds());
    }

    /** Why a demo hub refuses {@code config} for {@code connector}/{@code instance}, if it does. */
    public Optional<String> refusal(String connector, String instance, Map<String, String> config) {
        if (channels.instances().contains(connector + "/" + instance)) {
            return Optional.of(connector + "/" + instance + " is one of the demo's own instances, configured by its channel "
                    + "simulator at every start; create an instance of your own to try the configuration");
        }
        return OffMachineInstances.problem(config)
                .map(why -> "a demo hub only reaches this machine, and " + why);
    }

    /** What the console and API show about the demo. */
    public Status status() {
        return new Status(true, channels.simulatorUrl(), channels.requestsUrl(), dayLength().toSeconds(), channels.instances(),
                channels.simulator().isAlive());
    }

    /**
     * Demo mode as the API shows it.
     *
     * @param enabled      always true here ({@code false} from the API when the hub is not a demo)
     * @param simulatorUrl where the simulated channels listen
     * @param requestsUrl  WireMock's journal of every request the hub sent to them
     * @param dayLengthSeconds how long the brand's day takes, in seconds
     * @param instances    the demo's own instances, {@code connector/instance}
     * @param playing      whether the simulator is still running
     */
    public record Status(boolean enabled, String simulatorUrl, String requestsUrl, long dayLengthSeconds, Set<String> instances,
                         boolean playing) {
    }

    private Duration dayLength() {
        return properties.getDayLength();
    }

    @Override
    public void destroy() {
        channels.simulator().close();
    }
}
