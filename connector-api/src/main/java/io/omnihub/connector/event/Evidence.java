package io.omnihub.connector.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a channel knows that an identifier belongs to the person of an event. The CRM core links
 * people on strong evidence only: weak evidence may attach an identifier to a profile, but never
 * merges two established profiles by itself (it is kept, and counts once the identifier is seen with
 * strong evidence). An identity without evidence is treated as strong, as before the SDK knew grades.
 *
 * @since 1.2.0
 */
public enum Evidence {

    /**
     * The channel itself vouches for it: the platform's own id of the user (an openid, a buyer id), a
     * logged-in member's card, a phone number the platform verified for this user.
     */
    @JsonProperty("verified")
    VERIFIED,

    /** Typed in by the customer: a phone or e-mail in a sign-up or profile form, not verified. */
    @JsonProperty("stated")
    STATED,

    /**
     * Written down by staff about the customer: a WeCom contact's {@code remark_mobiles}, a phone a
     * store clerk typed in at the till. Often right, sometimes a family member's or the store's own.
     */
    @JsonProperty("noted")
    NOTED,

    /** Where an order goes: the receiver's phone. May be someone else (a gift, a colleague, a parcel locker). */
    @JsonProperty("delivery")
    DELIVERY;

    /** Whether this evidence may join two profiles: {@link #VERIFIED} and {@link #STATED}. */
    public boolean strong() {
        return this == VERIFIED || this == STATED;
    }
}
