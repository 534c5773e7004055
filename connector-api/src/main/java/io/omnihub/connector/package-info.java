/**
 * The OmniHub connector SDK.
 *
 * <p>A connector plugin contributes one {@link io.omnihub.connector.ChannelConnector} extension per
 * channel it speaks. The hub opens one {@link io.omnihub.connector.ConnectorInstance} per configured
 * account (an Official Account, a shop, a store) and drives it through the optional parts the instance
 * offers: a {@link io.omnihub.connector.webhook.WebhookHandler} for pushes, a
 * {@link io.omnihub.connector.source.Poller} for pulls, an {@link io.omnihub.connector.event.Enricher}
 * for follow-up lookups and an {@link io.omnihub.connector.action.ActionSender} for outbound work.
 * Everything a channel delivers becomes a {@link io.omnihub.connector.source.RawRecord}, persisted by
 * the hub before anything else happens, and later turned into canonical
 * {@link io.omnihub.connector.event.CustomerEvent}s by the instance's
 * {@link io.omnihub.connector.event.Normalizer}.
 *
 * <p>Connectors never retry, sleep or queue: they throw the typed errors in
 * {@link io.omnihub.connector.errors} and the hub decides what happens next.
 */
package io.omnihub.connector;
