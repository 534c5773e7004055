package io.omnihub.crm;

import java.time.Instant;

/** The most recent consent statements; {@code null} when never stated. */
public record ConsentView(Boolean crossChannelLinking, Instant crossChannelLinkingAt, Boolean marketing,
                          Instant marketingAt) {
}
