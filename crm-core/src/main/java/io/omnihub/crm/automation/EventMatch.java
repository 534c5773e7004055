package io.omnihub.crm.automation;

/**
 * An event of a type, optionally with a condition: journey triggers, exit events, waits for an event.
 *
 * @param type the event type, e.g. {@code order.paid}
 * @param when the condition, or null
 */
public record EventMatch(String type, Expression when) {
}
