package io.omnihub.crm;

import java.util.List;
import java.util.UUID;

/**
 * What {@link LinkPlanner} decided for one event.
 *
 * @param profiles     the profiles the event reaches, oldest first: empty means a new profile; several
 *                     means they merge into the first
 * @param match        the identifiers the resulting profile owns after the event: unowned ones it
 *                     attaches, ones it already owns (refreshed), ones it claims
 * @param claims       identifiers another established profile held on weak evidence only, which this
 *                     event's strong evidence takes over (that profile keeps them as unlinked)
 * @param corroborated weak identifiers held by another profile that this profile saw on enough orders
 *                     to link the two
 * @param dropped      identifiers left out of matching, with the reason
 */
record LinkPlan(List<UUID> profiles, List<IdKey> match, List<IdKey> claims, List<IdKey> corroborated, List<Unlinked> dropped) {
}
