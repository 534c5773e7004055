package io.omnihub.hub.logging;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret value the hub knows (configured connector secrets, the configured admin password),
 * so that the log pattern can mask them in any message, whoever logs it.
 *
 * <p>A process-wide registry on purpose: Logback creates its converters itself, before and outside
 * the Spring context, so they cannot be handed a bean.
 */
public final class SecretValues {

    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();

    private SecretValues() {
    }

    /** Adds secrets to mask from now on. */
    public static void register(Collection<String> secrets) {
        secrets.stream().filter(secret -> secret != null && !secret.isBlank()).forEach(VALUES::add);
    }

    /** The secrets known so far. */
    public static Set<String> all() {
        return Set.copyOf(VALUES);
    }

    static boolean isEmpty() {
        return VALUES.isEmpty();
    }
}
