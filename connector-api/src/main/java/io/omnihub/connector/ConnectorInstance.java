package io.omnihub.connector;

import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.event.Enricher;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.webhook.WebhookHandler;
import java.util.Optional;

/**
 * One configured account of a connector (an Official Account, a shop, a store system).
 *
 * <p>Methods may be called from several hub threads at once; implementations must be thread-safe.
 * The optional parts default to absent so a connector implements only what its channel offers.
 */
public interface ConnectorInstance extends AutoCloseable {

    /** Handles pushes from the channel, if it pushes. */
    default Optional<WebhookHandler> webhook() {
        return Optional.empty();
    }

    /** Pulls records from the channel, if it must be polled. */
    default Optional<Poller> poller() {
        return Optional.empty();
    }

    /** Adds identities the channel knows only through its API, if any. */
    default Optional<Enricher> enricher() {
        return Optional.empty();
    }

    /** Sends outbound actions, if the channel accepts any. */
    default Optional<ActionSender> actions() {
        return Optional.empty();
    }

    /** Turns this instance's raw records into canonical events. Required. */
    Normalizer normalizer();

    /**
     * Verifies credentials and reachability with one cheap call to the channel. Called when the
     * instance starts and when an operator asks. Never throws: report problems in the result.
     */
    CheckResult check();

    /**
     * What an operator should know although the instance works: a setting that weakens its
     * security (a WeChat account in plaintext mode), an option the channel is retiring. The hub shows
     * them with the instance's status and on the board. Called after the instance opened and after
     * each {@link #check()}; never contains a secret. None by default.
     *
     * @since 1.2.0
     */
    default java.util.List<String> warnings() {
        return java.util.List.of();
    }

    /**
     * Releases resources. The hub first stops handing the instance out and refuses new calls into
     * it, then calls this once the calls in progress (a webhook being handled, a poll, a send) have
     * returned, or after 30 seconds; no call reaches the instance after this.
     */
    @Override
    default void close() {
    }
}
