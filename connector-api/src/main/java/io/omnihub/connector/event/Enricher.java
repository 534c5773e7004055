package io.omnihub.connector.event;

import java.util.List;
import java.util.Optional;

/**
 * Adds identities that only the channel's API knows (a WeChat unionid for an openid, the phone a
 * staff member noted for a WeCom contact).
 *
 * <p>The hub calls it for this instance's events (those its normalizer produced, and those posted to
 * the hub's events API with this instance as their source), after the event itself went on to the
 * CRM core, so enrichment never holds an event back. What it returns is applied as events of their own,
 * usually one {@link EventTypes#IDENTITY_LINKED} event listing the identities seen together. When
 * the API is down it throws a {@link io.omnihub.connector.errors.TransientException}; the hub retries
 * with backoff and parks the request on the dead-letter queue if it keeps failing.
 *
 * <p>An enricher that remembers what it looked up can also answer {@link #enrichLocally}: the hub
 * then applies the follow-ups right behind the event, with no separate enrichment step for it.
 */
public interface Enricher {

    /**
     * @param event an event of this instance (see above)
     * @return follow-up events with deterministic ids; empty when there is nothing to add
     */
    List<CustomerEvent> enrich(CustomerEvent event);

    /**
     * What {@link #enrich} would return for {@code event}, when this instance can tell without any
     * I/O: from what it looked up before and keeps in memory (an openid's unionid, which never
     * changes), or because the event is one it never enriches. Empty when it would have to ask the
     * channel or read shared state; the hub then calls {@link #enrich} later, in its own step.
     *
     * <p>Called for every event of this instance, in the hub's normalize step and on the request
     * thread of an events API call, from several threads at once: it must be cheap, thread-safe and
     * must not block: no HTTP, no database, no {@link io.omnihub.connector.state.TokenCache}.
     * The answer must be what {@link #enrich} would return, deterministic ids included. An exception
     * is taken as "cannot tell" and {@link #enrich} is called later.
     *
     * @param event an event of this instance (see the interface's comment)
     * @return the follow-up events (possibly none) when known without I/O, else empty
     * @since 1.3.0
     */
    default Optional<List<CustomerEvent>> enrichLocally(CustomerEvent event) {
        return Optional.empty();
    }
}
