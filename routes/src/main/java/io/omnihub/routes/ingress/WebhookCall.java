package io.omnihub.routes.ingress;

import io.omnihub.connector.webhook.WebhookRequest;

/**
 * A webhook request read in full (within its body limit) by {@link WebhookServlet}, on its way
 * through the {@code webhook-ingress} route.
 *
 * @param connectorId the connector id from {@code /hooks/<connector>/<instance>}
 * @param instanceId  the instance id from the path
 * @param request     method, query, headers, the raw body and when it arrived
 * @param rawQuery    the query string as sent (kept with a dead letter), or null
 */
public record WebhookCall(String connectorId, String instanceId, WebhookRequest request, String rawQuery) {
}
