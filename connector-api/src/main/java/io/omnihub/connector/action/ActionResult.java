package io.omnihub.connector.action;

/**
 * The channel's answer to an action.
 *
 * @param channelReference the channel's id for what was done (a msgid), or {@code null}
 * @param detail           a short human-readable note
 */
public record ActionResult(String channelReference, String detail) {
}
