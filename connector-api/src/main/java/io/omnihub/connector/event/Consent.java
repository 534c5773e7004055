package io.omnihub.connector.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Consent the channel stated with this event; {@code null} fields mean "not stated".
 *
 * @param crossChannelLinking whether the person allows linking this channel's identities with others
 * @param marketing           whether the person accepts marketing messages
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Consent(Boolean crossChannelLinking, Boolean marketing) {
}
