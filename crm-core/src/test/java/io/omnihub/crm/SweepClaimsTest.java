package io.omnihub.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SweepClaimsTest extends PgTestBase {

    @Test
    void onlyOneNodeRunsAPeriodAndTheNextPeriodIsClaimedAgain() {
        SweepClaims a = new SweepClaims(ds, clock, "node-a");
        SweepClaims b = new SweepClaims(ds, clock, "node-b");

        assertTrue(a.claim("retention", "2025-01-01", Duration.ofHours(1)));
        assertFalse(b.claim("retention", "2025-01-01", Duration.ofHours(1)));
        a.finish("retention", "2025-01-01", "swept 3 rows");
        assertFalse(b.claim("retention", "2025-01-01", Duration.ofHours(1)), "a finished period is not run again");

        assertTrue(b.claim("retention", "2025-01-02", Duration.ofHours(1)));
        assertTrue(a.claim("segments", "2025-01-02", Duration.ofHours(1)), "jobs are claimed apart");
        assertEquals("swept 3 rows", a.lastFinished("retention").orElseThrow().outcome());
    }

    @Test
    void aClaimWhoseNodeDiedIsTakenOverOnceItsLeaseRunsOut() {
        SweepClaims a = new SweepClaims(ds, clock, "node-a");
        SweepClaims b = new SweepClaims(ds, clock, "node-b");
        assertTrue(a.claim("retention", "2025-01-01", Duration.ofMinutes(5)));
        assertFalse(b.claim("retention", "2025-01-01", Duration.ofMinutes(5)), "the lease still runs");

        clock.advance(Duration.ofMinutes(6));
        assertTrue(b.claim("retention", "2025-01-01", Duration.ofMinutes(5)));
        b.finish("retention", "2025-01-01", "done");
        assertEquals("node-b", a.lastFinished("retention").orElseThrow().node());
    }
}
