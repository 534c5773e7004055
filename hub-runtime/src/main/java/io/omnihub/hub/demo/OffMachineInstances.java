package io.omnihub.hub.demo;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds connector instances that would reach a channel off this machine, which a demo hub must not:
 * an address key (ending in {@code url}, {@code uri}, {@code host} or {@code endpoint}) naming
 * another host than localhost or a loopback address, or neither an address nor a {@code folder} at
 * all, in which case the connector uses the channel's real address.
 */
public final class OffMachineInstances {

    private OffMachineInstances() {
    }

    /**
     * The instances of {@code instances} ({@code connector -> instance -> key -> value}) that are
     * not local, each described as {@code connector/instance (why)}; empty when all are.
     */
    public static List<String> find(Map<String, ? extends Map<String, ? extends Map<String, String>>> instances) {
        List<String> found = new ArrayList<>();
        instances.forEach((connector, byInstance) -> byInstance.forEach((instance, config) ->
                problem(config).ifPresent(why -> found.add(connector + "/" + instance + " (" + why + ")"))));
        return found;
    }

    /** Why one instance's configuration is not local, if it is not. */
    public static Optional<String> problem(Map<String, String> config) {
        boolean local = false;
        for (Map.Entry<String, String> entry : config.entrySet()) {
            String key = entry.getKey().toLowerCase(Locale.ROOT);
            String value = entry.getValue() == null ? "" : entry.getValue().strip();
            if (isAddressKey(key) && !value.isEmpty()) {
                if (!isLoopback(value)) {
                    return Optional.of(entry.getKey() + " " + value + " is not on this machine");
                }
                local = true;
            } else if (key.equals("folder") && !value.isEmpty()) {
                local = true;
            }
        }
        return local ? Optional.empty()
                : Optional.of("it names no address, so its connector uses the channel's real one");
    }

    static boolean isAddressKey(String key) {
        return key.endsWith("url") || key.endsWith("uri") || key.endsWith("host") || key.endsWith("endpoint");
    }

    static boolean isLoopback(String address) {
        String host;
        try {
            URI uri = URI.create(address.contains("://") ? address : "tcp://" + address);
            host = uri.getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")
                || host.matches("127(\\.\\d{1,3}){3}");
    }
}
