package io.omnihub.hub.polling;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.hub.RunningHub;
import io.omnihub.routes.poll.PollLeases.PollLease;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Poll leases on the hub's real PostgreSQL, with two lease objects standing for two hub nodes. */
class JdbcPollLeasesTest extends RunningHub {

    @Autowired
    DataSource dataSource;

    JdbcPollLeases node() {
        return new JdbcPollLeases(dataSource, Clock.systemUTC());
    }

    @Test
    void whileOneNodeHoldsAnInstancesLeaseAnotherCannotTakeIt() {
        String instance = "store-" + UUID.randomUUID();
        JdbcPollLeases nodeA = node();
        JdbcPollLeases nodeB = node();

        try (PollLease held = nodeA.tryAcquire("pos", instance).orElseThrow()) {
            assertThat(nodeB.tryAcquire("pos", instance)).isEmpty();
            held.commit("cp-1"); // still held after a commit: the next batch follows under the same lease
            assertThat(nodeB.tryAcquire("pos", instance)).isEmpty();
        }

        try (PollLease next = nodeB.tryAcquire("pos", instance).orElseThrow()) {
            assertThat(next.checkpoint()).contains("cp-1");
        }
    }

    @Test
    void aLeaseClosedWithoutCommitLeavesTheCheckpointAsItWas() {
        String instance = "store-" + UUID.randomUUID();
        try (PollLease first = node().tryAcquire("pos", instance).orElseThrow()) {
            assertThat(first.checkpoint()).isEmpty();
            first.commit("cp-1");
        }
        try (PollLease crashed = node().tryAcquire("pos", instance).orElseThrow()) {
            assertThat(crashed.checkpoint()).contains("cp-1");
            // the batch after cp-1 never became durable: no commit
        }

        Optional<String> after;
        try (PollLease again = node().tryAcquire("pos", instance).orElseThrow()) {
            after = again.checkpoint();
        }
        assertThat(after).contains("cp-1");
    }

    @Test
    void instancesHaveLeasesOfTheirOwn() {
        try (PollLease a = node().tryAcquire("pos", "store-a-" + UUID.randomUUID()).orElseThrow()) {
            assertThat(node().tryAcquire("pos", "store-b-" + UUID.randomUUID())).isPresent()
                    .get().satisfies(PollLease::close);
        }
    }
}
