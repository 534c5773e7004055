package io.omnihub.connectors.pos;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OmniHub acceptance suite against a {@code csv-folder} instance. The "channel" is a folder:
 * valid credentials are a folder the hub may use, bad ones a folder that is not there. The records
 * are what the real poller reads (the kit polls it through {@link #stubPollSource}) from a UTF-8
 * file with a byte order mark, a GBK file and a file with English headers, in an instance
 * configured for GBK.
 *
 * <p>The action rules stay skipped: the connector offers no actions (a till takes no writes).
 */
class CsvFolderConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    /** The samples, oldest first: the order the poller reads them, one file per batch. */
    private static final List<String> SAMPLES = List.of("sales-bom.csv", "sales-gbk.csv", "sales-english.csv");

    @TempDir
    Path folder;

    /** The display name of the running test; a kit rule's starts with the rule's name. */
    private String test = "";

    @BeforeEach
    void rememberTest(TestInfo info) {
        test = info.getDisplayName();
    }

    @Override
    protected ChannelConnector connector() {
        return new PosConnector();
    }

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return Map.of("source", "csv-folder", "folder", folder.toString(), "encoding", "GBK", "brand", "acme",
                "settle-seconds", "10", "batch-size", "100");
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        // A folder needs no channel.
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        return Map.of("source", "csv-folder", "folder", folder.resolve("share-not-mounted").toString());
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        // A folder needs no channel.
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        // A csv-folder instance has no secret; the schema's only secret is the cloud-api app-key.
        return Set.of();
    }

    /**
     * The "pull API" of this source is the folder: the three sample exports, settled (modified a
     * few minutes before an hour before now), oldest first. With {@code batch-size} 100 each file is
     * one batch; after the third the folder holds nothing new and the checkpoint stays.
     *
     * <p>{@code poll-resumable-after-crash} stays skipped for this source. That rule first polls
     * until caught up as the reference, committing every batch, and then replays a crash from no
     * checkpoint against the same channel, which must answer as before. A folder does not: once a
     * batch that finishes a file is committed, {@code committed()} moves the file to {@code done/}
     * (README, "Done"), as it must, so after the reference run there is nothing left to read. The
     * crash the rule is about (a batch fetched, never committed, polled again from the committed
     * checkpoint by a fresh instance) is checked below, on the folder as it was before each run:
     * {@link #aBatchLostInACrashComesAgainWithTheSameIdsAndPollingEndsTheSame()}; a crash inside a
     * file in {@code CsvFolderPollerTest}.
     */
    @Override
    protected boolean stubPollSource(WireMock channel) {
        Assumptions.assumeFalse(test.startsWith("poll-resumable-after-crash"), "a csv-folder instance consumes its "
                + "folder: committed() moves finished files to done/, so the kit's reference run leaves nothing for its "
                + "crash run; the crash is checked on a fresh folder by "
                + "aBatchLostInACrashComesAgainWithTheSameIdsAndPollingEndsTheSame()");
        dropSamples();
        return true;
    }

    /**
     * Positions within one file (name, size, modification time) are ordered by rows read. Files
     * carry no order a checkpoint could keep: they are read oldest first, but a file dropped later
     * may carry an older modification time (a copy that keeps it), and a finished file leaves the
     * folder. Checkpoints about different files compare as equal; the kit still checks that no
     * checkpoint already passed comes back.
     */
    @Override
    protected Optional<Comparator<String>> checkpointOrder() {
        return Optional.of((a, b) -> {
            CsvFolderCheckpoint first = CsvFolderCheckpoint.parse(a);
            CsvFolderCheckpoint second = CsvFolderCheckpoint.parse(b);
            if (first.file() == null || !second.isAbout(first.file(), first.size(), first.modified())) {
                return 0;
            }
            return Comparator.comparingInt(CsvFolderCheckpoint::row).thenComparingLong(CsvFolderCheckpoint::offset)
                    .thenComparing(CsvFolderCheckpoint::state).compare(first, second);
        });
    }

    /**
     * {@code poll-resumable-after-crash} on a folder: the reference run and the crash each start from
     * the same three files (README: a crash before a commit repeats the same rows, with the same
     * event ids; a finished file moves to {@code done/} only once its checkpoint is committed).
     */
    @Test
    void aBatchLostInACrashComesAgainWithTheSameIdsAndPollingEndsTheSame() {
        Map<String, String> config = validConfig(channelBaseUrl());

        // Without a crash, polling until caught up.
        dropSamples();
        List<List<String>> reference = new ArrayList<>();
        String referenceEnd;
        try (ConnectorInstance instance = openInstance(config)) {
            referenceEnd = drain(instance, Optional.empty(), reference);
        }
        assertThat(reference).hasSize(SAMPLES.size()).allSatisfy(ids -> assertThat(ids).isNotEmpty());
        assertThat(files(folder.resolve("done"))).containsExactlyInAnyOrderElementsOf(SAMPLES);

        // The same files again; a first life commits batch 1, fetches batch 2 and dies.
        emptyFolder();
        dropSamples();
        ConnectorInstance crashed = openInstance(config);
        Poller firstLife = crashed.poller().orElseThrow();
        PollResult first = firstLife.poll(Optional.empty());
        firstLife.committed(first.nextCheckpoint());
        PollResult lost = firstLife.poll(Optional.of(first.nextCheckpoint()));
        assertThat(ids(crashed, first)).isEqualTo(reference.get(0));
        List<String> lostIds = ids(crashed, lost);
        assertThat(files(folder)).as("the lost batch's file stays until its checkpoint is committed")
                .contains(SAMPLES.get(1)).doesNotContain(SAMPLES.get(0));

        // A fresh instance from the committed checkpoint: the lost batch again, then the rest, the same end.
        List<List<String>> resumed = new ArrayList<>();
        String end;
        try (ConnectorInstance restarted = openInstance(config)) {
            end = drain(restarted, Optional.of(first.nextCheckpoint()), resumed);
        }
        assertThat(resumed.get(0)).isEqualTo(lostIds).isEqualTo(reference.get(1));
        assertThat(end).isEqualTo(referenceEnd);
        Set<String> afterCrash = new LinkedHashSet<>(reference.get(0));
        resumed.forEach(afterCrash::addAll);
        Set<String> withoutCrash = new LinkedHashSet<>();
        reference.forEach(withoutCrash::addAll);
        assertThat(afterCrash).isEqualTo(withoutCrash);
    }

    /** Polls as the hub does until caught up, committing each batch; adds each batch's event ids; returns the end. */
    private static String drain(ConnectorInstance instance, Optional<String> from, List<List<String>> batches) {
        Poller poller = instance.poller().orElseThrow();
        Optional<String> checkpoint = from;
        for (int i = 0; i < MAX_POLLS; i++) {
            PollResult result = poller.poll(checkpoint);
            poller.committed(result.nextCheckpoint());
            if (!result.records().isEmpty()) {
                batches.add(ids(instance, result));
            }
            if (result.records().isEmpty() && !result.hasMore()) {
                return result.nextCheckpoint();
            }
            checkpoint = Optional.of(result.nextCheckpoint());
        }
        throw new AssertionError("polling did not catch up after " + MAX_POLLS + " polls");
    }

    private static List<String> ids(ConnectorInstance instance, PollResult batch) {
        List<String> ids = new ArrayList<>();
        for (RawRecord record : batch.records()) {
            instance.normalizer().normalize(record).stream().map(CustomerEvent::id).forEach(ids::add);
        }
        return ids;
    }

    /** The samples, settled, a minute apart so that they are read in {@link #SAMPLES} order. */
    private void dropSamples() {
        Instant settled = now().minus(Duration.ofHours(1));
        for (int i = 0; i < SAMPLES.size(); i++) {
            PosFixtures.drop(folder, SAMPLES.get(i), SAMPLES.get(i), settled.minusSeconds(60L * (SAMPLES.size() - 1 - i)));
        }
    }

    private void emptyFolder() {
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(folder)) {
                    Files.delete(path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> files(Path in) {
        if (!Files.isDirectory(in)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(in)) {
            return list.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
