package io.omnihub.testsupport.population;

import io.omnihub.connector.event.CustomerEvent;

/**
 * One event of a synthetic person, as a channel would deliver it.
 *
 * @param person    who it really is
 * @param platform  the platform it came from ({@code wechat} for WeChat and WeCom, {@code tmall},
 *                  {@code douyin} for 抖店 and Douyin, {@code pos}, {@code erp})
 * @param component the group of this person's observations that the evidence can join: their own
 *                  identifiers where the channel vouches for them or the person stated them, and
 *                  weak ones (noted, delivery) where one channel identity of theirs repeats them on
 *                  two or more orders (a buyer sending two parcels to the phone); null for an event
 *                  that is not scored (an identity link from enrichment). Recall is measured against
 *                  these groups: a single parcel to a phone cannot be told from a gift.
 * @param ownIdentifiers the group of this person's observations that any of their own identifiers
 *                  joins, whatever the evidence (recall against these is the strict upper bound)
 * @param declined  whether the person declined cross-channel linking
 * @param event     the canonical event
 */
public record Observation(String person, String platform, String component, String ownIdentifiers, boolean declined,
                          CustomerEvent event) {

    /** Whether the observation is scored (an interaction the customer view shows), not graph-only enrichment. */
    public boolean scored() {
        return component != null;
    }
}
