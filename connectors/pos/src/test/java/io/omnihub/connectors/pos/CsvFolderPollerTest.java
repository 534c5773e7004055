package io.omnihub.connectors.pos;

import static io.omnihub.connectors.pos.PosFixtures.NOW;
import static io.omnihub.connectors.pos.PosFixtures.csvConfig;
import static io.omnihub.connectors.pos.PosFixtures.drop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.TestConnectorContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFolderPollerTest {

    @TempDir
    Path folder;

    private TestConnectorContext ctx;
    private ConnectorInstance instance;
    private Poller poller;

    @BeforeEach
    void setUp() {
        open(Map.of());
    }

    private void open(Map<String, String> settings) {
        Map<String, String> config = csvConfig(folder);
        config.putAll(settings);
        ctx = PosFixtures.context(config);
        instance = new PosConnector().open(ctx);
        poller = instance.poller().orElseThrow();
    }

    private List<CustomerEvent> normalize(List<RawRecord> records) {
        List<CustomerEvent> events = new ArrayList<>();
        records.forEach(r -> events.addAll(instance.normalizer().normalize(r)));
        PosFixtures.assertValid(events);
        return events;
    }

    private static JsonNode read(String json) {
        try {
            return PospalApiClient.JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> files(Path in) throws IOException {
        if (!Files.isDirectory(in)) {
            return List.of();
        }
        try (var list = Files.list(in)) {
            return list.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void oneRecordPerRowKeyedByFileAndRow() {
        drop(folder, "sales-utf8.csv");

        PollResult result = poller.poll(Optional.empty());

        assertThat(result.records()).extracting(RawRecord::key)
                .containsExactly("sales-utf8.csv#2", "sales-utf8.csv#3", "sales-utf8.csv#4", "sales-utf8.csv#5");
        assertThat(result.records().get(2).attributes()).containsEntry("file", "sales-utf8.csv").containsEntry("row", "4");
        assertThat(result.records().get(0).contentType()).isEqualTo("application/json");
        assertThat(read(result.nextCheckpoint()).path("state").asText()).isEqualTo("done");
        assertThat(result.hasMore()).isFalse();
        // The anonymous sale (row 5) gives no event.
        assertThat(normalize(result.records())).extracting(CustomerEvent::id).containsExactly(
                "pos:acme:静安店:T20250520-0001", "pos:acme:静安店:T20250520-0002", "pos:acme:静安店:T20250520-0003");
    }

    @Test
    void utf8WithByteOrderMarkAndGbkFilesWithChineseHeadersAreRead() {
        drop(folder, "sales-bom.csv", "a-bom.csv", NOW.minus(Duration.ofHours(2)));
        drop(folder, "sales-gbk.csv", "b-gbk.csv", NOW.minus(Duration.ofHours(1)));
        open(Map.of("encoding", "GBK"));

        PollResult bom = poller.poll(Optional.empty());
        poller.committed(bom.nextCheckpoint());
        PollResult gbk = poller.poll(Optional.of(bom.nextCheckpoint()));

        assertThat(bom.hasMore()).as("the GBK file waits").isTrue();
        List<CustomerEvent> fromBom = normalize(bom.records());
        assertThat(fromBom).extracting(e -> e.data().extra().get("storeId")).containsOnly("徐汇店");
        assertThat(fromBom.get(0).data().order().lines().get(0).name()).isEqualTo("红豆面包,2只装");
        assertThat(fromBom.get(1).data().identities().get(0).value()).isEqualTo("+8613900001111");
        List<CustomerEvent> fromGbk = normalize(gbk.records());
        assertThat(fromGbk).extracting(CustomerEvent::id)
                .containsExactly("pos:acme:浦东店:G20250520-0001", "pos:acme:浦东店:G20250520-0002");
        assertThat(fromGbk.get(0).data().order().lines().get(0).name()).isEqualTo("东北大米 5kg,特级");
        assertThat(fromGbk.get(1).data().order().totalMinor()).isEqualTo(1740);
    }

    @Test
    void aBadRowFailsAloneNamingFileAndRowWhileTheOthersGiveEvents() {
        drop(folder, "sales-bad-row.csv");

        List<RawRecord> records = poller.poll(Optional.empty()).records();

        assertThat(records).hasSize(3);
        assertThatThrownBy(() -> instance.normalizer().normalize(records.get(1)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("sales-bad-row.csv row 3")
                .hasMessageContaining("金额 is not an amount");
        assertThat(normalize(List.of(records.get(0), records.get(2)))).extracting(CustomerEvent::id)
                .containsExactly("pos:acme:静安店:R-0001", "pos:acme:静安店:R-0003");
    }

    @Test
    void aFinishedFileMovesToDoneOnlyOnceItsCheckpointIsCommitted() throws IOException {
        drop(folder, "sales-utf8.csv");

        PollResult result = poller.poll(Optional.empty());

        assertThat(files(folder)).containsExactly("sales-utf8.csv");
        poller.committed(result.nextCheckpoint());
        assertThat(files(folder)).isEmpty();
        assertThat(files(folder.resolve("done"))).containsExactly("sales-utf8.csv");
    }

    @Test
    void aSkippedCommitCallIsMadeUpForByTheNextPoll() throws IOException {
        drop(folder, "sales-utf8.csv");
        PollResult result = poller.poll(Optional.empty());

        // The node crashed after the hub committed, before committed() ran: a new poller tidies up.
        open(Map.of());
        PollResult next = poller.poll(Optional.of(result.nextCheckpoint()));

        assertThat(next.records()).isEmpty();
        assertThat(files(folder.resolve("done"))).containsExactly("sales-utf8.csv");
    }

    @Test
    void unreadableFilesGoToErrorWithTheReasonOnceCommitted() throws IOException {
        drop(folder, "sales-gbk.csv", "gbk-as-utf8.csv", NOW.minus(Duration.ofHours(3)));
        drop(folder, "members-export.csv", "members-export.csv", NOW.minus(Duration.ofHours(2)));
        Files.write(folder.resolve("empty.csv"), new byte[0]);
        Files.setLastModifiedTime(folder.resolve("empty.csv"), java.nio.file.attribute.FileTime.from(NOW.minus(Duration.ofHours(1))));

        List<String> reasons = new ArrayList<>();
        Optional<String> checkpoint = Optional.empty();
        for (int i = 0; i < 3; i++) {
            PollResult result = poller.poll(checkpoint);
            assertThat(result.records()).isEmpty();
            JsonNode state = read(result.nextCheckpoint());
            assertThat(state.path("state").asText()).isEqualTo("error");
            assertThat(Files.exists(folder.resolve(state.path("file").asText()))).as("not moved before the commit").isTrue();
            reasons.add(state.path("reason").asText());
            poller.committed(result.nextCheckpoint());
            checkpoint = Optional.of(result.nextCheckpoint());
        }

        assertThat(reasons.get(0)).contains("row 1 is not valid UTF-8", "set encoding: GBK");
        assertThat(reasons.get(1)).contains("no column for ticket-sn (looked for 小票号 or ticket_sn)",
                "no column for total", "the header is: 姓名, 手机号");
        assertThat(reasons.get(2)).contains("the file is empty");
        assertThat(files(folder)).isEmpty();
        assertThat(files(folder.resolve("error"))).containsExactly("empty.csv", "empty.csv.error.txt",
                "gbk-as-utf8.csv", "gbk-as-utf8.csv.error.txt", "members-export.csv", "members-export.csv.error.txt");
        assertThat(Files.readString(folder.resolve("error/gbk-as-utf8.csv.error.txt"), StandardCharsets.UTF_8))
                .contains("gbk-as-utf8.csv could not be read: row 1 is not valid UTF-8");
    }

    @Test
    void largeFilesComeInBatchesAndCheckpointsOnlyMoveForward() {
        drop(folder, "sales-utf8.csv");
        open(Map.of("batch-size", "2"));

        PollResult first = poller.poll(Optional.empty());
        PollResult second = poller.poll(Optional.of(first.nextCheckpoint()));

        assertThat(first.records()).extracting(RawRecord::key).containsExactly("sales-utf8.csv#2", "sales-utf8.csv#3");
        assertThat(first.hasMore()).isTrue();
        assertThat(second.records()).extracting(RawRecord::key).containsExactly("sales-utf8.csv#4", "sales-utf8.csv#5");
        JsonNode a = read(first.nextCheckpoint());
        JsonNode b = read(second.nextCheckpoint());
        assertThat(a.path("state").asText()).isEqualTo("reading");
        assertThat(a.path("row").asInt()).isEqualTo(3);
        assertThat(b.path("row").asInt()).isGreaterThan(a.path("row").asInt());
        assertThat(b.path("offset").asLong()).isGreaterThan(a.path("offset").asLong());
        assertThat(b.path("state").asText()).isEqualTo("done");
    }

    @Test
    void afterACrashAnOlderCheckpointRepeatsTheSameRowsWithTheSameIds() {
        drop(folder, "sales-utf8.csv");
        open(Map.of("batch-size", "1"));
        PollResult first = poller.poll(Optional.empty());
        PollResult second = poller.poll(Optional.of(first.nextCheckpoint()));

        // The second batch was never committed: a new node resumes from the first checkpoint.
        open(Map.of("batch-size", "1"));
        PollResult again = poller.poll(Optional.of(first.nextCheckpoint()));

        assertThat(again.records()).extracting(RawRecord::key).isEqualTo(List.of("sales-utf8.csv#3"))
                .isEqualTo(second.records().stream().map(RawRecord::key).toList());
        assertThat(again.records().get(0).payload()).isEqualTo(second.records().get(0).payload());
        assertThat(again.nextCheckpoint()).isEqualTo(second.nextCheckpoint());
        assertThat(normalize(again.records())).extracting(CustomerEvent::id)
                .isEqualTo(normalize(second.records()).stream().map(CustomerEvent::id).toList());
    }

    @Test
    void aFileStillBeingWrittenIsNotRead() {
        drop(folder, "sales-utf8.csv", "sales.csv.part", NOW.minus(Duration.ofHours(1)));
        drop(folder, "sales-utf8.csv", "sales.csv.tmp", NOW.minus(Duration.ofHours(1)));
        drop(folder, "sales-utf8.csv", ".sales.csv", NOW.minus(Duration.ofHours(1)));
        drop(folder, "sales-utf8.csv", "sales.csv", NOW.minus(Duration.ofSeconds(3)));

        PollResult result = poller.poll(Optional.empty());
        assertThat(result.records()).isEmpty();
        assertThat(result.hasMore()).isFalse();

        ctx.mutableClock().advance(Duration.ofSeconds(10));
        assertThat(poller.poll(Optional.of(result.nextCheckpoint())).records()).hasSize(4);
    }

    @Test
    void aTicketsRowsStayTogetherEvenAcrossTheBatchSize() {
        drop(folder, "sales-lines.csv");
        open(Map.of("batch-size", "1"));

        PollResult first = poller.poll(Optional.empty());
        PollResult second = poller.poll(Optional.of(first.nextCheckpoint()));

        assertThat(first.records()).extracting(RawRecord::key).containsExactly("sales-lines.csv#2-4");
        assertThat(first.records().get(0).attributes()).containsEntry("row", "2").containsEntry("lastRow", "4");
        assertThat(second.records()).extracting(RawRecord::key).containsExactly("sales-lines.csv#5");
        CustomerEvent ticket = normalize(first.records()).get(0);
        assertThat(ticket.data().order().totalMinor()).isEqualTo(9366);
        assertThat(ticket.data().order().lines()).extracting(l -> l.name() + " x" + l.quantity() + " @" + l.unitPriceMinor())
                .containsExactly("有机纯牛奶 x1 @5990", "红豆面包 x1 @2200", "散装苹果 x1 @1176");
    }

    @Test
    void filesAreReadOldestFirstAndANewFileUnderAnOldNameIsReadAgain() throws IOException {
        drop(folder, "sales-bad-row.csv", "z-older.csv", NOW.minus(Duration.ofHours(2)));
        drop(folder, "sales-utf8.csv", "a-newer.csv", NOW.minus(Duration.ofHours(1)));

        PollResult first = poller.poll(Optional.empty());
        poller.committed(first.nextCheckpoint());
        PollResult second = poller.poll(Optional.of(first.nextCheckpoint()));
        poller.committed(second.nextCheckpoint());
        assertThat(first.records().get(0).key()).startsWith("z-older.csv#");
        assertThat(second.records().get(0).key()).startsWith("a-newer.csv#");

        drop(folder, "sales-lines.csv", "a-newer.csv", NOW.minus(Duration.ofMinutes(30)));
        PollResult third = poller.poll(Optional.of(second.nextCheckpoint()));
        poller.committed(third.nextCheckpoint());

        assertThat(third.records().get(0).key()).isEqualTo("a-newer.csv#2-4");
        assertThat(files(folder.resolve("done"))).containsExactly("a-newer-2.csv", "a-newer.csv", "z-older.csv");
    }

    @Test
    void aMissingFolderIsAConfigError() {
        open(Map.of("folder", folder.resolve("not-mounted").toString()));

        assertThatThrownBy(() -> poller.poll(Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not-mounted");
    }

    @Test
    void anEmptyFolderKeepsTheCheckpointAndWaitsAnInterval() {
        PollResult result = poller.poll(Optional.empty());

        assertThat(result.records()).isEmpty();
        assertThat(result.hasMore()).isFalse();
        assertThat(poller.poll(Optional.of(result.nextCheckpoint())).nextCheckpoint()).isEqualTo(result.nextCheckpoint());
        assertThat(poller.interval()).isEqualTo(Duration.ofMinutes(1));
    }
}
