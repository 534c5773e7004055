package io.omnihub.crm.automation;

import io.omnihub.crm.ProfileAliases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The active enrollments of a run's customers, their rows locked, by surviving profile. An enrollment
 * of a profile merged away follows its survivor, or ends when the survivor is in that journey already.
 */
final class ActiveEnrollments {

    private final Connection c;
    private final JourneyWalker walker;
    private final Map<UUID, List<Enrollment>> byCustomer = new HashMap<>();

    ActiveEnrollments(Connection c, JourneyWalker walker) {
        this.c = c;
        this.walker = walker;
    }

    /**
     * Locks and reads the active enrollments of {@code batchCustomers} (each id to its surviving
     * profile) and of every profile merged into them.
     */
    void lock(Map<UUID, UUID> batchCustomers) throws SQLException {
        Set<UUID> owners = new LinkedHashSet<>(batchCustomers.values());
        List<Enrollment> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                with recursive tree(id, depth) as (
                    select s, 0 from unnest(?::uuid[]) s
                    union all
                    select a.merged_id, tree.depth + 1 from crm_customer_alias a join tree on a.surviving_id = tree.id
                     where tree.depth < 100
                )
                select %s from crm_enrollment
                 where customer_id in (select id from tree) and status = 'active' order by started_at, id for update
                """.formatted(Enrollment.COLUMNS))) {
            ps.setArray(1, c.createArrayOf("uuid", owners.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(Enrollment.read(rs));
                }
            }
        }
        Map<UUID, UUID> surviving = new HashMap<>(batchCustomers);
        for (UUID owner : owners) {
            surviving.put(owner, owner);
        }
        Set<UUID> merged = new LinkedHashSet<>();
        for (Enrollment e : found) {
            if (!surviving.containsKey(e.customerId)) {
                merged.add(e.customerId);
            }
        }
        surviving.putAll(ProfileAliases.surviving(c, merged));
        for (Enrollment e : found) {
            UUID owner = surviving.getOrDefault(e.customerId, e.customerId);
            List<Enrollment> list = byCustomer.computeIfAbsent(owner, k -> new ArrayList<>());
            if (!owner.equals(e.customerId)) {
                // the customer was merged into another profile: the enrollment follows, unless the
                // survivor is in the same journey already
                boolean twin = list.stream().anyMatch(x -> x.journeyId.equals(e.journeyId))
                        || found.stream().anyMatch(x -> x != e && x.customerId.equals(owner) && x.journeyId.equals(e.journeyId));
                if (twin) {
                    walker.end(e, "exited", "customer merged into " + owner + ", who is in this journey already");
                    continue;
                }
                e.customerId = owner;
                walker.save(e);
            }
            list.add(e);
        }
        for (UUID owner : new LinkedHashSet<>(surviving.values())) {
            byCustomer.computeIfAbsent(owner, k -> new ArrayList<>());
        }
    }

    /** The enrollments {@code customer} holds: the live list, to which an enrollment started now is added. */
    List<Enrollment> of(UUID customer) {
        return byCustomer.computeIfAbsent(customer, k -> new ArrayList<>());
    }

    /** Whether no customer of the run is in any journey. */
    boolean none() {
        return byCustomer.values().stream().allMatch(List::isEmpty);
    }
}
