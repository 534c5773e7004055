package io.omnihub.connectors.pos;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OmniHub acceptance suite against a {@code csv-folder} instance. The "channel" is a folder:
 * valid credentials are a folder the hub may use, bad ones a folder that is not there. The records
 * are what the real poller reads from a UTF-8 file with a byte order mark, a GBK file and a file
 * with English headers, in an instance configured for GBK.
 */
class CsvFolderConnectorAcceptanceTest extends ConnectorAcceptanceTest {

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

    @Override
    protected List<RawRecord> recordSamples(Map<String, String> config, Instant now) {
        Instant settled = now.minus(Duration.ofHours(1));
        copy("sales-bom.csv", settled.minusSeconds(120));
        copy("sales-gbk.csv", settled.minusSeconds(60));
        copy("sales-english.csv", settled);
        List<RawRecord> records = new ArrayList<>();
        try (ConnectorInstance instance = openInstance(config)) {
            Optional<String> checkpoint = Optional.empty();
            PollResult result;
            do {
                result = instance.poller().orElseThrow().poll(checkpoint);
                records.addAll(result.records());
                checkpoint = Optional.of(result.nextCheckpoint());
                instance.poller().orElseThrow().committed(result.nextCheckpoint());
            } while (result.hasMore());
        }
        return records;
    }

    private void copy(String fixture, Instant modified) {
        try {
            Path file = folder.resolve(fixture);
            Files.write(file, PosFixtures.resource("csv/" + fixture));
            Files.setLastModifiedTime(file, FileTime.from(modified));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
