package io.omnihub.connector;

import io.omnihub.connector.errors.ConfigException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An instance's configuration: the flat map under {@code hub.connectors.<connector>.<instance>.*}
 * (or created over the API), with keys in kebab-case as the schema declares them.
 */
public final class InstanceConfig {

    private final Map<String, String> values;
    private final Set<String> secretKeys;

    /**
     * @param values     the configured values
     * @param secretKeys keys the connector's schema marks as secret
     */
    public InstanceConfig(Map<String, String> values, Set<String> secretKeys) {
        this.values = Map.copyOf(values);
        this.secretKeys = Set.copyOf(secretKeys);
    }

    /** The value for {@code key}, if set and not blank. */
    public Optional<String> get(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** The value for {@code key} or {@code fallback}. */
    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    /** The value for {@code key}; a {@link ConfigException} naming the key when it is missing. */
    public String require(String key) {
        return get(key).orElseThrow(() -> new ConfigException("missing required configuration '" + key + "'"));
    }

    /**
     * A duration for {@code key}: ISO-8601 ({@code PT5M}), or a number with a unit suffix
     * ({@code 300s}, {@code 5m}, {@code 2h}, {@code 500ms}); {@code 0} means zero.
     */
    public Duration duration(String key, Duration fallback) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        String text = raw.get().trim();
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                return Duration.parse(text);
            }
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            char unit = text.charAt(text.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofSeconds(Long.parseLong(text));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new ConfigException("'" + key + "' has an unknown duration unit: " + text);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new ConfigException("'" + key + "' is not a duration: " + text);
        }
    }

    /** Whether the connector's schema marks {@code key} as secret. */
    public boolean isSecret(String key) {
        return secretKeys.contains(key);
    }

    /** The configuration with every secret value replaced by {@code ******}, for display. */
    public Map<String, String> masked() {
        Map<String, String> copy = new TreeMap<>(values);
        copy.replaceAll((k, v) -> secretKeys.contains(k) ? "******" : v);
        return copy;
    }

    /** Every configured value, secrets included. Hand it to no log. */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return masked().toString();
    }
}
