package io.omnihub.hub.connectors;

/** The lifecycle of a configured connector instance. */
public enum InstanceState {
    /** Open and in use: webhooks, polls, enrichment and actions reach it. */
    RUNNING,
    /**
     * Open but set aside by an operator: its webhooks are still verified and kept, but the pipeline
     * does not call it (queued work waits, no attempt counted) until it is resumed. Resuming is instant.
     */
    PAUSED,
    /**
     * Could not be opened. With a configuration error (schema violation, {@code ConfigException}) it
     * stays failed until the configuration changes or an operator restarts it; with any other error it
     * is restarted automatically with growing backoff.
     */
    FAILED,
    /** Not open: stopped by an operator, its connector's plugin is not installed or was stopped, or the hub is stopping. */
    STOPPED
}
