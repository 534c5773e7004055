package io.omnihub.hub.connectors;

/** The lifecycle of a configured connector instance. */
public enum InstanceState {
    /** Open and in use: webhooks, polls and actions reach it. */
    RUNNING,
    /**
     * Could not be opened. With a configuration error (schema violation, {@code ConfigException}) it
     * stays failed until the configuration changes; with any other error it is retried with growing backoff.
     */
    FAILED,
    /** Not open: its connector's plugin is not installed or was stopped, or the hub is stopping. */
    STOPPED
}
