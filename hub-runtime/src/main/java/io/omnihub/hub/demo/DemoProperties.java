package io.omnihub.hub.demo;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Demo mode ({@code hub.demo.*}): the hub starts the demo's channel simulator beside itself, runs one
 * instance of each bundled connector against it and lets it play a small brand's day. Never on by
 * default: {@code java -jar omnihub.jar --demo} turns it on (the {@code demo} profile), and then the
 * data folder defaults to {@code ./demo-data}.
 */
@ConfigurationProperties("hub.demo")
public class DemoProperties {

    /** Whether this hub runs the demo. Refused when an instance is configured against a channel off this machine. */
    private boolean enabled;

    /** The channel simulator's executable JAR, built into {@code demo/target} by {@code ./mvnw package}. */
    private Path simulatorJar = Path.of("demo", "target", "omnihub-demo.jar");

    /** The shortest brand's day a demo hub accepts. */
    static final Duration SHORTEST_DAY = Duration.ofSeconds(10);

    /** How long the brand's day takes (at least 10 s); it is played again and again. */
    private Duration dayLength = Duration.ofMinutes(3);

    /** How long the simulator may take to start listening before the hub gives up. */
    private Duration startTimeout = Duration.ofSeconds(60);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Path getSimulatorJar() {
        return simulatorJar;
    }

    public void setSimulatorJar(Path simulatorJar) {
        this.simulatorJar = simulatorJar;
    }

    public Duration getDayLength() {
        return dayLength;
    }

    public void setDayLength(Duration dayLength) {
        this.dayLength = dayLength;
    }

    public Duration getStartTimeout() {
        return startTimeout;
    }

    public void setStartTimeout(Duration startTimeout) {
        this.startTimeout = startTimeout;
    }
}
