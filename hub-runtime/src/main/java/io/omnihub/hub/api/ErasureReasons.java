package io.omnihub.hub.api;

import org.springframework.security.core.Authentication;

/** The reason and the actor privacy operations record. */
final class ErasureReasons {

    /** The longest reason kept: a sentence or a ticket reference, not a document. */
    static final int MAX_REASON = 500;

    private ErasureReasons() {
    }

    /** The reason from the query or the body, stripped; 400 when neither gives one or it is too long. */
    static String required(String fromQuery, String fromBody, String what) {
        String reason = fromBody != null && !fromBody.isBlank() ? fromBody : fromQuery;
        if (reason == null || reason.isBlank()) {
            throw ApiProblems.badRequest(what + " needs a reason: {\"reason\": \"...\"} or ?reason=...");
        }
        if (reason.length() > MAX_REASON) {
            throw ApiProblems.badRequest("the reason is longer than " + MAX_REASON + " characters");
        }
        return reason.strip();
    }

    static String actor(Authentication who) {
        return who == null ? "unknown" : who.getName();
    }
}
