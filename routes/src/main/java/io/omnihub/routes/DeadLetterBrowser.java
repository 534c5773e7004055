package io.omnihub.routes;

import java.util.List;

/** Reads the dead-letter queue without consuming it. */
public interface DeadLetterBrowser {

    /** Up to {@code limit} parked messages, oldest first. */
    List<DeadLetter> list(int limit);

    /** How many messages are parked. */
    long depth();
}
