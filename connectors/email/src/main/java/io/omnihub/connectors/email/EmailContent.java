package io.omnihub.connectors.email;

import java.util.Objects;

/**
 * What one e-mail says, rendered: subject, a plain-text part and, optionally, an HTML part.
 *
 * @param subject one line
 * @param text    the plain-text part; every mail has one
 * @param html    the HTML part, or {@code null}
 */
record EmailContent(String subject, String text, String html) {

    EmailContent {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
    }
}
