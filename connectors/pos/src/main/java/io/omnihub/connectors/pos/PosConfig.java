package io.omnihub.connectors.pos;

import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.errors.ConfigException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The settings every POS instance has, whatever its source; read once when the instance opens so
 * that a wrong key fails the instance with a clear message instead of failing every poll.
 *
 * @param source         where the tickets come from
 * @param brand          the loyalty programme the member cards belong to: the namespace of
 *                       {@code member_card} identities and part of every event id
 * @param defaultStoreId the store a ticket belongs to when the source does not say, or {@code null}
 * @param timeZone       the zone the till's local times are in
 * @param pollInterval   how long the hub waits between polls once the source is drained
 */
public record PosConfig(Source source, String brand, String defaultStoreId, ZoneId timeZone, Duration pollInterval) {

    public static final String SOURCE = "source";
    public static final String BRAND = "brand";
    public static final String STORE_ID = "store-id";
    public static final String TIME_ZONE = "time-zone";
    public static final String POLL_INTERVAL = "poll-interval";

    /** Where an instance reads its sales tickets. */
    public enum Source {
        /** A Pospal-style vendor cloud API (银豹 OpenAPI), polled by time window. */
        CLOUD_API("cloud-api", Duration.ofMinutes(5)),
        /** CSV files dropped in a folder (an SFTP drop, a nightly export). */
        CSV_FOLDER("csv-folder", Duration.ofMinutes(1));

        private final String id;
        private final Duration defaultPollInterval;

        Source(String id, Duration defaultPollInterval) {
            this.id = id;
            this.defaultPollInterval = defaultPollInterval;
        }

        /** The configuration value. */
        public String id() {
            return id;
        }
    }

    /**
     * Reads the common settings.
     *
     * @param instanceId the instance's name, the default {@code brand}: cards of one instance never
     *                   collide with another's unless both name the same brand
     * @throws ConfigException naming the key that cannot work
     */
    public static PosConfig from(InstanceConfig config, String instanceId) {
        Source source = config.requireEnum(SOURCE, Source.class);
        String brand = config.get(BRAND).map(String::trim).orElse(instanceId);
        if (brand.contains(":")) {
            // ':' separates the parts of event ids (pos:<brand>:<store>:<sn>), so it must stay unambiguous.
            throw new ConfigException("'" + BRAND + "' must not contain ':'");
        }
        String storeId = config.get(STORE_ID).map(String::trim).orElse(null);
        ZoneId zone;
        try {
            zone = ZoneId.of(config.get(TIME_ZONE, "Asia/Shanghai").trim());
        } catch (DateTimeException e) {
            throw new ConfigException("'" + TIME_ZONE + "' is not a time zone id such as Asia/Shanghai: "
                    + config.get(TIME_ZONE, ""));
        }
        Duration interval = config.duration(POLL_INTERVAL, source.defaultPollInterval);
        if (interval.isNegative() || interval.isZero()) {
            throw new ConfigException("'" + POLL_INTERVAL + "' must be positive");
        }
        return new PosConfig(source, brand, storeId, zone, interval);
    }

    /** The configured fallback store, if any. */
    public Optional<String> storeId() {
        return Optional.ofNullable(defaultStoreId);
    }
}
