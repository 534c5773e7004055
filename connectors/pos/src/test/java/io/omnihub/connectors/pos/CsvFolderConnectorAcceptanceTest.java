package io.omnihub.connectors.pos;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OmniHub acceptance suite against a {@code csv-folder} instance. The "channel" is a folder:
 * valid credentials are a folder the hub may use, bad ones a folder that is not there. The records
 * are what the real poller reads (the kit polls it through {@link #stubPollSource}) from a UTF-8
 * file with a byte order mark, a GBK file and a file with English headers, in an instance
 * configured for GBK. Reading consumes the folder (finished files move to {@code done/}), so
 * {@link #resetPollSource} drops the files again before each run of the poll rules.
 *
 * <p>The action rules stay skipped: the connector offers no actions (a till takes no writes).
 */
class CsvFolderConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    /** The samples, oldest first: the order the poller reads them, one file per batch. */
    private static final List<String> SAMPLES = List.of("sales-bom.csv", "sales-gbk.csv", "sales-english.csv");

    @TempDir
    Path folder;

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
     */
    @Override
    protected boolean stubPollSource(WireMock channel) {
        dropSamples();
        return true;
    }

    /**
     * Reading consumes the folder: once a batch that finishes a file is committed,
     * {@code committed()} moves the file to {@code done/} (README, "Done"), as it must, so after the
     * kit's reference run there is nothing left to read. Before each run the folder is made again
     * as {@link #stubPollSource} made it: {@code done/} and {@code error/} gone, the same three
     * files with the same names and times, so that the crash run of
     * {@code poll-resumable-after-crash} reads what the reference run read.
     */
    @Override
    protected void resetPollSource(WireMock channel) {
        emptyFolder();
        dropSamples();
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
}
