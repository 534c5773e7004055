/**
 * The canonical customer event: a CloudEvents 1.0 envelope ({@link io.omnihub.connector.event.CustomerEvent})
 * whose data ({@link io.omnihub.connector.event.CustomerEventData}) follows
 * {@code customer-event.schema.json}, shipped in this module at
 * {@value io.omnihub.connector.event.CustomerEvent#SCHEMA_RESOURCE}.
 */
package io.omnihub.connector.event;
