package io.omnihub.connector.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A message the customer sent.
 *
 * @param kind {@code text}, {@code image}, {@code voice}, {@code video}, {@code location}, ...
 * @param text the text, for text messages
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Message(String kind, String text) {
}
