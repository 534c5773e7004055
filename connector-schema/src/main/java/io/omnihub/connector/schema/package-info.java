/**
 * The SDK's JSON rules, implemented once and shared by the connector acceptance kit and the hub,
 * so that what passes the kit is what the hub accepts.
 *
 * <ul>
 *   <li>{@link io.omnihub.connector.schema.ConfigSchema}: a connector's configuration schema
 *       ({@link io.omnihub.connector.ConnectorDescriptor#configSchema()}): is it usable, which keys
 *       are secret ({@code "x-secret": true}), does an instance's string configuration satisfy it.</li>
 *   <li>{@link io.omnihub.connector.schema.CanonicalEventValidator}: the canonical event rules,
 *       CloudEvents envelope ({@code id}, {@code source}, {@code type}, {@code time}) plus the
 *       data schema {@code customer-event.schema.json} shipped in connector-api.</li>
 *   <li>{@link io.omnihub.connector.schema.CanonicalEventJson}: how an event is written as
 *       CloudEvents 1.0 JSON, the form that is validated and that travels on {@code hub.events}.</li>
 * </ul>
 *
 * <p>A connector plugin does not need this package at run time: the hub applies these rules to
 * what the plugin hands over. Partners meet it through {@code connector-testkit}, which depends on
 * it, and may call it in their own tests. It depends on connector-api, Jackson (databind and
 * jsr310) and the networknt JSON Schema validator only; every message is English and names the
 * place by its JSON path.
 */
package io.omnihub.connector.schema;
