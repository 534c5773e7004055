package io.omnihub.hub.demo;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts demo mode before anything else of the hub, when {@code hub.demo.enabled} is on: refuses
 * instances configured against channels off this machine, starts the channel simulator, and adds
 * its instances as {@code hub.connectors.*} properties (with the simulator's port in their
 * addresses), plus the user {@value #PLAYER} (role operator) the simulator posts the brand's own
 * systems' events as. Nothing is started or changed unless demo mode is on.
 */
public class DemoEnvironment implements EnvironmentPostProcessor, Ordered {

    /** The user the brand's web shop, help desk and churn model post their events as. */
    public static final String PLAYER = "demo-player";

    private static final ResolvableType INSTANCES = ResolvableType.forClassWithGenerics(Map.class,
            ResolvableType.forClass(String.class), ResolvableType.forClassWithGenerics(Map.class,
                    ResolvableType.forClass(String.class), ResolvableType.forClassWithGenerics(Map.class, String.class, String.class)));

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        if (!binder.bind("hub.demo.enabled", Boolean.class).orElse(false)
                || environment.getPropertySources().contains(DemoChannels.NAME)) {
            return;
        }
        DemoProperties demo = binder.bind("hub.demo", DemoProperties.class).orElseGet(DemoProperties::new);
        Map<String, Map<String, Map<String, String>>> configured =
                binder.<Map<String, Map<String, Map<String, String>>>>bind("hub.connectors", Bindable.of(INSTANCES)).orElse(Map.of());
        if (demo.getDayLength().compareTo(DemoProperties.SHORTEST_DAY) < 0) {
            throw new DemoRefusedException("hub.demo.day-length is " + demo.getDayLength().toMillis() + " ms; the brand's day takes at least "
                    + DemoProperties.SHORTEST_DAY.toSeconds() + " s", "Set hub.demo.day-length to 10s or more (3m by default).");
        }
        List<String> offMachine = OffMachineInstances.find(configured);
        if (!offMachine.isEmpty()) {
            throw new DemoRefusedException("connector instances are configured against channels off this machine: "
                    + String.join(", ", offMachine),
                    "The demo only talks to its simulated channels. Start it where your hub configuration (application.yml, "
                            + "HUB_CONNECTORS_* variables) does not apply, or start the hub without --demo.");
        }
        ChannelSimulatorProcess simulator = ChannelSimulatorProcess.start(demo.getSimulatorJar(), demo.getStartTimeout());
        try {
            JsonNode ready = JsonMapper.builder().build().readTree(simulator.readyJson());
            Map<String, Object> properties = new LinkedHashMap<>();
            ready.path("instances").properties().forEach(connector -> connector.getValue().properties().forEach(instance -> {
                if (configured.getOrDefault(connector.getKey(), Map.of()).containsKey(instance.getKey())) {
                    throw new DemoRefusedException("hub.connectors." + connector.getKey() + "." + instance.getKey()
                            + " is configured, but it is the name of one of the demo's own instances",
                            "Give your instance another name, or start the demo without it.");
                }
                instance.getValue().properties().forEach(entry -> properties.put(
                        "hub.connectors." + connector.getKey() + "." + instance.getKey() + "." + entry.getKey(),
                        entry.getValue().asString()));
            }));
            properties.put("hub.security.users." + PLAYER + ".password", password());
            properties.put("hub.security.users." + PLAYER + ".role", "operator");
            environment.getPropertySources().addFirst(new DemoChannels(properties, simulator,
                    ready.path("url").asString(), ready.path("requests").asString()));
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
    }

    /** After Spring Boot read the configuration files, so {@code hub.demo.*} from any of them counts. */
    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 10;
    }

    private static String password() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            password.append("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".charAt(random.nextInt(57)));
        }
        return password.toString();
    }

    /** The simulator's instances and player, with a handle on the simulator process for {@link DemoMode}. */
    static final class DemoChannels extends MapPropertySource {

        static final String NAME = "omnihubDemoChannels";

        private final ChannelSimulatorProcess simulator;
        private final String simulatorUrl;
        private final String requestsUrl;

        DemoChannels(Map<String, Object> properties, ChannelSimulatorProcess simulator, String simulatorUrl, String requestsUrl) {
            super(NAME, properties);
            this.simulator = simulator;
            this.simulatorUrl = simulatorUrl;
            this.requestsUrl = requestsUrl;
        }

        ChannelSimulatorProcess simulator() {
            return simulator;
        }

        String simulatorUrl() {
            return simulatorUrl;
        }

        String requestsUrl() {
            return requestsUrl;
        }

        /** The demo's own instances: {@code connector/instance}. */
        Set<String> instances() {
            Set<String> ids = new TreeSet<>();
            for (String name : getPropertyNames()) {
                if (name.startsWith("hub.connectors.")) {
                    String[] parts = name.split("\\.");
                    ids.add(parts[2] + "/" + parts[3]);
                }
            }
            return ids;
        }
    }
}
