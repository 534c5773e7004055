package io.omnihub.connector.event;

import java.util.List;

/**
 * Adds identities that only the channel's API knows (a WeChat unionid for an openid, the phone a
 * staff member noted for a WeCom contact).
 *
 * <p>The hub calls it for events this instance produced, after the event itself went on to the CRM
 * core, so enrichment never holds an event back. What it returns is applied as events of their own,
 * usually one {@link EventTypes#IDENTITY_LINKED} event listing the identities seen together. When
 * the API is down it throws a {@link io.omnihub.connector.errors.TransientException}; the hub retries
 * with backoff and parks the request on the dead-letter queue if it keeps failing.
 */
public interface Enricher {

    /**
     * @param event an event this instance's normalizer produced
     * @return follow-up events with deterministic ids; empty when there is nothing to add
     */
    List<CustomerEvent> enrich(CustomerEvent event);
}
