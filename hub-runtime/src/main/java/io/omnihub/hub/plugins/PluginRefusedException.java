package io.omnihub.hub.plugins;

/** An uploaded plugin JAR the hub will not install, with the reason an operator can act on. */
public class PluginRefusedException extends RuntimeException {

    /** What kind of refusal. */
    public enum Kind {
        /** The JAR itself is unacceptable: no plugin, not allowed, made for another SDK. */
        INVALID,
        /** The hub's state does not allow it: the plugin is already installed. */
        CONFLICT
    }

    private final Kind kind;

    PluginRefusedException(Kind kind, String reason) {
        super(reason);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
