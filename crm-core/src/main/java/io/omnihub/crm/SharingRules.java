package io.omnihub.crm;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * When an identifier behaves like a shared one, and when weak evidence counts.
 *
 * @param types          the types that can be shared by several people (phone, e-mail, device):
 *                       only these are watched
 * @param peers          an identifier of such a type seen with this many distinct strong identifiers
 *                       of one other type (three member cards, three buyer ids of one shop) is shared
 * @param walkIns        an identifier of such a type that was the only identifier of this many
 *                       orders at one store (a store's phone typed in for walk-in customers) is shared
 * @param corroborations a weak identifier (noted, delivery) held by another profile links the two once
 *                       a profile saw it on this many distinct orders (0: never)
 */
public record SharingRules(Set<String> types, int peers, int walkIns, int corroborations) {

    /** Phones, e-mails and devices; 3 peers; 4 walk-in orders; weak evidence corroborated by 2 orders. */
    public static final SharingRules DEFAULTS = new SharingRules(Set.of("phone", "email", "device_id"), 3, 4, 2);

    public SharingRules {
        Set<String> t = new TreeSet<>();
        types.forEach(x -> t.add(x.strip().toLowerCase(Locale.ROOT)));
        types = Set.copyOf(t);
        if (peers < 2 || walkIns < 2 || corroborations < 0) {
            throw new IllegalArgumentException("peers and walk-ins must be at least 2, corroborations at least 0");
        }
    }

    public boolean shareable(String type) {
        return types.contains(type);
    }
}
