package io.omnihub.crm;

/** An identifier of an event left out of matching, and why. */
record Unlinked(IdKey key, String reason) {

    static final String CONSENT = "consent: cross-channel linking declined";
    static final String NOT_LINKABLE = "type not linkable";
    static final String BLOCKED = "blocked value";
    static final String INVALID = "invalid value";
    static final String MERGE_BLOCKED = "merge blocked: the profiles were unmerged";
}
