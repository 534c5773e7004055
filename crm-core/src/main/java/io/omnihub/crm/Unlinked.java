package io.omnihub.crm;

/** An identifier of an event left out of matching, and why. */
record Unlinked(IdKey key, String reason) {

    static final String CONSENT = "consent: cross-channel linking declined";
    static final String NOT_LINKABLE = "type not linkable";
    static final String BLOCKED = "blocked value";
    static final String INVALID = "invalid value";
    static final String MERGE_BLOCKED = "merge blocked: the profiles were unmerged";
    static final String PHONE_KIND = "phone kind not linkable: ";
    static final String SHARED = "shared identifier: seen with several people";
    static final String WEAK_HELD = "weak evidence: held by another profile";
    static final String CLAIMED = "weak evidence: claimed by stronger evidence of another profile";
}
