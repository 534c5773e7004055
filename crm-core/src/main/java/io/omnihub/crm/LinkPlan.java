package io.omnihub.crm;

import java.util.List;
import java.util.UUID;

/**
 * What {@link LinkPlanner} decided for one event.
 *
 * @param profiles the profiles the event's identifiers reach, oldest first: empty means a new
 *                 profile; several means they merge into the first
 * @param match    the identifiers that link (attached to or refreshed on the resulting profile)
 * @param dropped  identifiers left out of matching, with the reason
 */
record LinkPlan(List<UUID> profiles, List<IdKey> match, List<Unlinked> dropped) {
}
