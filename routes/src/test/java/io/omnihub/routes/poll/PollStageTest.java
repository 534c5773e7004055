package io.omnihub.routes.poll;

import io.omnihub.testsupport.QuietInstance;
import io.omnihub.testsupport.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.routes.InstanceUnavailableException;
import io.omnihub.routes.broker.Backoff;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.Headers;
import io.omnihub.routes.stage.OneRunningInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PollStageTest {

    final TestClock clock = TestClock.at(Instant.parse("2026-11-22T00:00:00Z"));
    final List<String> journal = new ArrayList<>();
    final ScriptedPoller poller = new ScriptedPoller();
    final InMemoryLeases leases = new InMemoryLeases();
    final List<BrokerMessage> persisted = new ArrayList<>();
    Function<List<BrokerMessage>, CompletableFuture<Void>> sinkBehaviour = messages -> {
        persisted.addAll(messages);
        journal.add("persisted " + messages.size());
        return CompletableFuture.completedFuture(null);
    };
    final OneRunningInstance registry = registryWith(poller);
    final PollStage stage = new PollStage(registry, leases, messages -> sinkBehaviour.apply(messages),
            new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10), 12), clock.ticker());

    @Test
    void aFirstPollStartsWithoutCheckpointAndCommitsOnlyAfterItsRecordsAreDurable() {
        poller.answers.add(cp -> new PollResult(List.of(record("t-1"), record("t-2")), "cp-1", false));

        stage.pollDueInstances();

        assertThat(poller.asked).containsExactly(Optional.empty());
        assertThat(journal).containsExactly("persisted 2", "commit cp-1", "told committed cp-1");
        assertThat(persisted).extracting(m -> m.stringProperty(Headers.RECORD_KEY)).containsExactly("t-1", "t-2");
        assertThat(persisted).allSatisfy(m -> assertThat(m.stringProperty(Headers.CONNECTOR)).isEqualTo("pos"));
    }

    @Test
    void theNextPollWaitsForTheIntervalAndResumesFromTheCommittedCheckpoint() {
        poller.answers.add(cp -> new PollResult(List.of(record("t-1")), "cp-1", false));
        poller.answers.add(cp -> new PollResult(List.of(), "cp-1", false));
        stage.pollDueInstances();

        stage.pollDueInstances();
        assertThat(poller.asked).hasSize(1);

        clock.advance(Duration.ofMinutes(1));
        stage.pollDueInstances();
        assertThat(poller.asked).containsExactly(Optional.empty(), Optional.of("cp-1"));
    }

    @Test
    void aPollerWithMoreIsAskedAgainAtOnceCommittingEachBatch() {
        poller.answers.add(cp -> new PollResult(List.of(record("t-1")), "cp-1", true));
        poller.answers.add(cp -> new PollResult(List.of(record("t-2")), "cp-2", false));

        stage.pollDueInstances();

        assertThat(poller.asked).containsExactly(Optional.empty(), Optional.of("cp-1"));
        assertThat(journal).containsExactly("persisted 1", "commit cp-1", "told committed cp-1",
                "persisted 1", "commit cp-2", "told committed cp-2");
    }

    @Test
    void recordsThatCouldNotBePersistedCommitNothingAndAreFetchedAgainFromTheSameCheckpoint() {
        sinkBehaviour = messages -> CompletableFuture.failedFuture(new IllegalStateException("broker down"));
        poller.answers.add(cp -> new PollResult(List.of(record("t-1")), "cp-1", false));
        poller.answers.add(cp -> new PollResult(List.of(record("t-1")), "cp-1", false));

        stage.pollDueInstances();
        assertThat(leases.committed).isNull();

        sinkBehaviour = messages -> CompletableFuture.completedFuture(null);
        clock.advance(Duration.ofSeconds(3));
        stage.pollDueInstances();

        assertThat(poller.asked).containsExactly(Optional.empty(), Optional.empty());
        assertThat(leases.committed).isEqualTo("cp-1");
    }

    @Test
    void aRateLimitedPollWaitsAsLongAsTheChannelSays() {
        poller.answers.add(cp -> {
            throw new RateLimitedException("quota reached", Duration.ofMinutes(5));
        });
        poller.answers.add(cp -> new PollResult(List.of(), "cp-1", false));
        stage.pollDueInstances();

        assertThat(registry.failures()).containsExactly("pos/store-1 rate-limited: quota reached");
        clock.advance(Duration.ofMinutes(4));
        stage.pollDueInstances();
        assertThat(poller.asked).hasSize(1);

        clock.advance(Duration.ofMinutes(2));
        stage.pollDueInstances();
        assertThat(poller.asked).hasSize(2);
    }

    @Test
    void aPollTheChannelRefusesForGoodReportsTheInstanceFailedAndCommitsNothing() {
        poller.answers.add(cp -> {
            throw new ConfigException("Invalid session (code 27): authorise the shop again");
        });

        stage.pollDueInstances();

        assertThat(registry.failures()).containsExactly("pos/store-1: Invalid session (code 27): authorise the shop again");
        assertThat(leases.committed).isNull();
        assertThat(journal).isEmpty();
    }

    @Test
    void aPollRefusedBecauseItsInstanceIsClosingCountsNoFailureAndTheNextPassPollsAgain() {
        poller.answers.add(cp -> {
            throw new InstanceUnavailableException("pos", "store-1", "is closing");
        });
        poller.answers.add(cp -> new PollResult(List.of(record("t-1")), "cp-1", false));

        stage.pollDueInstances();
        assertThat(leases.committed).isNull();
        assertThat(registry.failures()).isEmpty();

        stage.pollDueInstances();

        assertThat(poller.asked).containsExactly(Optional.empty(), Optional.empty());
        assertThat(leases.committed).isEqualTo("cp-1");
    }

    @Test
    void aPollerThatFailsToTidyUpAfterACommitKeepsTheCommit() {
        Poller untidy = new Poller() {
            @Override
            public PollResult poll(Optional<String> checkpoint) {
                return new PollResult(List.of(record("t-1")), "cp-1", false);
            }

            @Override
            public void committed(String checkpoint) {
                throw new IllegalStateException("done/ is not writable");
            }
        };
        OneRunningInstance untidyRegistry = registryWith(untidy);
        PollStage untidyStage = new PollStage(untidyRegistry, leases, messages -> sinkBehaviour.apply(messages),
                new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10), 12), clock.ticker());

        untidyStage.pollDueInstances();

        assertThat(leases.committed).isEqualTo("cp-1");
        assertThat(untidyRegistry.failures()).isEmpty();
    }

    @Test
    void anInstanceWhosePollIsStillRunningIsNotPolledAgainAndDoesNotHoldTheVisitUp() {
        List<Runnable> queued = new ArrayList<>();
        PollStage pooled = new PollStage(registryWith(poller), leases, messages -> sinkBehaviour.apply(messages),
                new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10), 12), clock.ticker(), queued::add);
        poller.answers.add(cp -> new PollResult(List.of(record("t-1")), "cp-1", false));

        pooled.pollDueInstances();
        pooled.pollDueInstances();
        assertThat(queued).as("the second pass finds the first poll still running").hasSize(1);
        assertThat(poller.asked).isEmpty();

        queued.get(0).run();
        assertThat(leases.committed).isEqualTo("cp-1");
        clock.advance(Duration.ofMinutes(1));
        poller.answers.add(cp -> new PollResult(List.of(), "cp-1", false));
        pooled.pollDueInstances();
        assertThat(queued).hasSize(2);
    }

    @Test
    void anInstanceWhoseLeaseAnotherNodeHoldsIsNotPolled() {
        leases.heldElsewhere = true;
        poller.answers.add(cp -> new PollResult(List.of(record("t-1")), "cp-1", false));

        stage.pollDueInstances();

        assertThat(poller.asked).isEmpty();
        assertThat(persisted).isEmpty();
    }

    RawRecord record(String key) {
        return new RawRecord(key, "application/json", ("{\"sn\":\"" + key + "\"}").getBytes(), Map.of(), clock.instant());
    }

    OneRunningInstance registryWith(Poller poller) {
        ConnectorInstance instance = new QuietInstance() {
            @Override
            public Optional<Poller> poller() {
                return Optional.of(poller);
            }
        };
        return OneRunningInstance.of("pos", "store-1", instance);
    }

    /** Answers polls from a script and remembers the checkpoints it was given. */
    final class ScriptedPoller implements Poller {
        final Deque<Function<Optional<String>, PollResult>> answers = new ArrayDeque<>();
        final List<Optional<String>> asked = new ArrayList<>();

        @Override
        public PollResult poll(Optional<String> checkpoint) {
            asked.add(checkpoint);
            return answers.removeFirst().apply(checkpoint);
        }

        @Override
        public void committed(String checkpoint) {
            journal.add("told committed " + checkpoint);
        }
    }

    /** One node's view of the leases; {@code heldElsewhere} plays another node holding it. */
    final class InMemoryLeases implements PollLeases {
        String committed;
        boolean heldElsewhere;

        @Override
        public Optional<PollLease> tryAcquire(String connectorId, String instanceId) {
            if (heldElsewhere) {
                return Optional.empty();
            }
            return Optional.of(new PollLease() {
                @Override
                public Optional<String> checkpoint() {
                    return Optional.ofNullable(committed);
                }

                @Override
                public void commit(String checkpoint) {
                    committed = checkpoint;
                    journal.add("commit " + checkpoint);
                }

                @Override
                public void close() {
                }
            });
        }
    }
}
