package io.omnihub.crm.reports;

/**
 * SQL that maps every profile to the customer it belongs to today: an active profile to itself, a
 * merged one (through however many merges) to the active profile it ended in. Reports count the
 * customer, so profiles merged into one count once and what was recorded on a merged profile
 * (actions, enrollments) is the surviving customer's.
 */
final class CustomerRoots {

    /** A {@code with recursive} head defining {@code root(id, root)}; follow it with {@code , ...} or a select. */
    static final String CTE = """
            with recursive root(id, root) as (
                select id, id from crm_customer where status = 'active'
                union all
                select a.merged_id, r.root from crm_customer_alias a join root r on a.surviving_id = r.id
            )""";

    /** Orders that count in the reports: every state but cancelled and refunded. */
    static final String COUNTED_ORDER = "o.state not in ('cancelled', 'refunded')";

    private CustomerRoots() {
    }
}
