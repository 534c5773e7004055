package io.omnihub.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Where a person's data lives: the export (right of access) and the erasure know the same tables, and a
 * table that holds a {@code customer_id} is known to them, or the difference is a decision written here.
 */
class CustomerDataTablesTest extends PgTestBase {

    private static final String BOTH = "exported and erased by name";
    private static final String ERASED_ONLY = "erased by name, not exported";
    private static final String EXPORTED_ONLY = "exported, erased by the sweep of other customer_id tables";
    private static final String NEITHER = "neither exported nor named by the eraser";

    /** Every table where export and erasure differ, and how. Everything else is exported and erased by name. */
    private static final Map<String, String> DIFFERENCES = Map.of(
            // which events were applied, kept to refuse duplicates: the events are exported in the timeline
            "crm_processed_event", ERASED_ONLY,
            // which profile was merged into which: exported as the merges and the document's profile ids
            "crm_customer_alias", ERASED_ONLY,
            // an operator's instruction to keep two profiles apart: it names another person's profile
            "crm_merge_block", ERASED_ONLY,
            // when a person's enrollment or task is next due: the enrollments and tasks are exported
            "crm_timer", ERASED_ONLY,
            // the erasure's own record, kept as its audit; the eraser names it so the sweep leaves it
            "crm_erasure", ERASED_ONLY,
            // a pending recount of the customer's traits: no data of the person, erased by the sweep
            "crm_trait_recount", NEITHER);

    @Test
    void everyTableHoldingACustomerIsExportedAndErasedAlikeUnlessTheDifferenceIsWrittenDown() throws Exception {
        Set<String> tables = new TreeSet<>(customerIdTables());
        tables.addAll(CustomerExport.tables());
        tables.addAll(CustomerEraser.tables());

        Map<String, String> differences = new TreeMap<>();
        for (String table : tables) {
            boolean exported = CustomerExport.tables().contains(table);
            boolean erased = CustomerEraser.tables().contains(table);
            String how = exported ? (erased ? BOTH : EXPORTED_ONLY) : (erased ? ERASED_ONLY : NEITHER);
            if (!how.equals(BOTH)) {
                differences.put(table, how);
            }
        }

        assertThat(customerIdTables()).contains("crm_timeline", "crm_trait_recount");
        assertThat(differences)
                .as("tables the export and the erasure treat differently; a new one needs its decision in DIFFERENCES")
                .isEqualTo(DIFFERENCES);
    }

    /** The core's tables with a {@code customer_id uuid} column, as the eraser's sweep finds them. */
    private static Set<String> customerIdTables() throws Exception {
        try (Connection c = ds.getConnection()) {
            return new TreeSet<>(CustomerEraser.customerIdTables(c));
        }
    }
}
