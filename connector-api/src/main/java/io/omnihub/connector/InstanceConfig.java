package io.omnihub.connector;

import io.omnihub.connector.errors.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An instance's configuration: the flat map under {@code hub.connectors.<connector>.<instance>.*}
 * (or created over the API), with keys in kebab-case as the schema declares them.
 *
 * <p>Read it once, in {@link ChannelConnector#open(ConnectorContext)}, so that a value that cannot
 * work fails the instance there. A key that is unset or blank is missing: the getters with a
 * fallback return it, {@link #require(String)} and the other {@code require...} getters throw. The
 * typed getters trim the value before reading it. Every {@link ConfigException} they throw names
 * the key, and quotes the value only when the key is not {@linkplain #isSecret(String) secret}.
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
                default -> throw new ConfigException("'" + key + "' has an unknown duration unit" + shown(key, text));
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new ConfigException("'" + key + "' is not a duration" + shown(key, text));
        }
    }

    /**
     * A whole number for {@code key} from {@code min} to {@code max} (both included), or
     * {@code fallback} when unset.
     *
     * @throws ConfigException naming the key when the value is not a whole number or out of range
     * @since 1.1.0
     */
    public int integer(String key, int fallback, int min, int max) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.get().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("'" + key + "' must be a whole number" + quoted(key, raw.get()));
        }
        if (value < min || value > max) {
            throw new ConfigException("'" + key + "' must be between " + min + " and " + max
                    + (isSecret(key) ? "" : ", not " + value));
        }
        return value;
    }

    /**
     * {@code true} or {@code false} (in any case) for {@code key}, or {@code fallback} when unset.
     * Nothing else counts as a boolean: not {@code yes}, {@code 1} or {@code on}.
     *
     * @throws ConfigException naming the key for any other value
     * @since 1.1.0
     */
    public boolean bool(String key, boolean fallback) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException("'" + key + "' must be true or false" + quoted(key, raw.get()));
        };
    }

    /**
     * An absolute {@code http} or {@code https} URL for {@code key}, without trailing slashes
     * ({@code https://api.example.com/v2/} reads as {@code https://api.example.com/v2}), so that paths
     * can be appended to it; {@code fallback}, as given, when unset.
     *
     * @throws ConfigException naming the key when the value is not an absolute http(s) URL
     * @since 1.1.0
     */
    public URI url(String key, URI fallback) {
        return get(key).map(raw -> parseUrl(key, raw)).orElse(fallback);
    }

    /**
     * The required {@link #url(String, URI) URL} for {@code key}.
     *
     * @throws ConfigException naming the key when it is missing or not an absolute http(s) URL
     * @since 1.1.0
     */
    public URI requireUrl(String key) {
        return parseUrl(key, require(key));
    }

    /**
     * The constant of {@code type} that {@code key} names, or {@code fallback} when unset. A
     * constant is written in any case, with {@code -} or {@code _} between words: {@code cloud-api},
     * {@code CLOUD_API} and {@code Cloud-Api} all name {@code CLOUD_API}.
     *
     * @throws ConfigException naming the key and listing the accepted values when the value names
     *                         no constant
     * @since 1.1.0
     */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
        return get(key).map(raw -> parseEnum(key, type, raw)).orElse(fallback);
    }

    /**
     * The required {@link #enumValue(String, Class, Enum) constant} that {@code key} names.
     *
     * @throws ConfigException naming the key when it is missing or names no constant of {@code type}
     * @since 1.1.0
     */
    public <E extends Enum<E>> E requireEnum(String key, Class<E> type) {
        return parseEnum(key, type, require(key));
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

    private URI parseUrl(String key, String raw) {
        String text = raw.trim();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException("'" + key + "' is not a URL" + shown(key, raw));
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new ConfigException("'" + key + "' must be an absolute http(s) URL" + shown(key, raw));
        }
        return uri;
    }

    private <E extends Enum<E>> E parseEnum(String key, Class<E> type, String raw) {
        String wanted = raw.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        E[] constants = type.getEnumConstants();
        for (E constant : constants) {
            if (constant.name().toUpperCase(Locale.ROOT).equals(wanted)) {
                return constant;
            }
        }
        String[] spelled = Arrays.stream(constants)
                .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .toArray(String[]::new);
        String accepted = spelled.length == 1 ? spelled[0]
                : String.join(", ", Arrays.copyOf(spelled, spelled.length - 1)) + " or " + spelled[spelled.length - 1];
        throw new ConfigException("'" + key + "' must be " + accepted + quoted(key, raw));
    }

    /** {@code , not '<value>'} for a message about {@code key}, or nothing when the key is secret. */
    private String quoted(String key, String raw) {
        return isSecret(key) ? "" : ", not '" + raw + "'";
    }

    /** {@code : <value>} for a message about {@code key}, or nothing when the key is secret. */
    private String shown(String key, String raw) {
        return isSecret(key) ? "" : ": " + raw;
    }

    @Override
    public String toString() {
        return masked().toString();
    }
}
