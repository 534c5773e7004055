package io.omnihub.connectors.pos;

import static io.omnihub.connectors.pos.PosFixtures.APP_KEY;
import static io.omnihub.connectors.pos.PosFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.http.HttpResponse;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testkit.hostile.HostileChecks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Fuzz tests of the POS connector: the CSV reader, a csv-folder instance taking any dropped file,
 * the Pospal poller and member lookup taking any answer, the Pospal signer and yuan amounts. Each
 * refuses what it cannot take with the SDK's typed errors only (the CSV reader: a file that does not
 * decode), with a short message holding no secret; anything else is a finding. See
 * docs/fuzzing.md for running them longer.
 */
class PosFuzzTest {

    private static final List<String> SECRETS = List.of(APP_KEY);
    private static final byte[] GOOD_PAGE = PosFixtures.resource("pospal/minimal-ticket-page.json");
    private static final byte[] GOOD_MEMBER = PosFixtures.resource("pospal/member-zhang.json");

    /** Any bytes as CSV: records that cover the input exactly, in order, or a row that does not decode. */
    @FuzzTest
    void csvReaderCoversEveryByteOrReportsTheRowThatDoesNotDecode(byte[] csv) throws IOException {
        for (Charset charset : List.of(StandardCharsets.UTF_8, Charset.forName("GBK"))) {
            CsvParser parser = new CsvParser(new ByteArrayInputStream(csv), 0, 0, charset);
            long end = 0;
            int row = 0;
            try {
                for (CsvParser.Record record = parser.next(); record != null; record = parser.next()) {
                    assertThat(record.startOffset()).isEqualTo(end);
                    assertThat(record.endOffset()).isGreaterThan(record.startOffset());
                    assertThat(record.row()).isEqualTo(++row);
                    end = record.endOffset();
                }
                assertThat(end).isEqualTo(csv.length);
            } catch (CsvParser.UndecodableException expected) {
                assertThat(expected.row()).isGreaterThan(0);
            }
        }
    }

    /** Any file dropped in a csv-folder instance's folder: events, parked rows, or the file set aside. */
    @FuzzTest
    void csvFolderTakesAnyFile(byte[] content) throws IOException {
        Path folder = Files.createTempDirectory("pos-fuzz");
        try {
            Path file = folder.resolve("sales.csv");
            Files.write(file, content);
            Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofHours(1))));
            TestConnectorContext ctx = PosFixtures.context(PosFixtures.csvConfig(folder));
            ConnectorInstance instance = new PosConnector().open(ctx);
            pollAndNormalize(instance, 20, content);
        } finally {
            delete(folder);
        }
    }

    /** Any answer of Pospal to the ticket query: events, or a typed error. */
    @FuzzTest
    void pospalPollerTakesAnyTicketAnswer(byte[] answer) {
        pollAndNormalize(pospal(answer, GOOD_MEMBER), 1, answer);
    }

    /** Any answer of Pospal to the member lookup of a good ticket: an event, none, or a typed error. */
    @FuzzTest
    void pospalMemberLookupTakesAnyAnswer(byte[] answer) {
        pollAndNormalize(pospal(GOOD_PAGE, answer), 1, answer);
    }

    /** The Pospal signature is upper-case MD5 hex; any text as yuan is an amount or refused. */
    @FuzzTest
    void signerAndAmounts(FuzzedDataProvider data) {
        String key = data.consumeString(64);
        String yuan = data.consumeString(200);
        byte[] body = data.consumeRemainingAsBytes();
        assertThat(PospalSigner.sign(key, body)).matches("[0-9A-F]{32}");
        try {
            BigDecimal amount = Fen.parseYuan(yuan);
            long fen = Fen.of(amount);
            assertThat(Math.abs(amount.movePointRight(2).subtract(BigDecimal.valueOf(fen)).doubleValue())).isLessThanOrEqualTo(0.5);
        } catch (IllegalArgumentException refused) {
            // not an amount, or out of range: the normalizers turn this into bad input
        }
    }

    private static ConnectorInstance pospal(byte[] tickets, byte[] member) {
        TestConnectorContext ctx = PosFixtures.context(PosFixtures.cloudConfig("http://pospal.invalid")).withHttp(request ->
                new HttpResponse(200, Map.of("Content-Type", List.of("application/json")),
                        request.uri().getPath().equals(PospalApiClient.TICKET_PAGES_PATH) ? tickets : member));
        return new PosConnector().open(ctx);
    }

    private static void pollAndNormalize(ConnectorInstance instance, int polls, byte[] input) {
        Poller poller = instance.poller().orElseThrow();
        HostileChecks.contained(() -> {
            Optional<String> checkpoint = Optional.empty();
            for (int i = 0; i < polls; i++) {
                PollResult result = poller.poll(checkpoint);
                for (RawRecord record : result.records()) {
                    HostileChecks.contained(() -> instance.normalizer().normalize(record), SECRETS, input);
                }
                poller.committed(result.nextCheckpoint());
                checkpoint = Optional.of(result.nextCheckpoint());
                if (!result.hasMore() && result.records().isEmpty()) {
                    return;
                }
            }
        }, SECRETS, input);
    }

    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
