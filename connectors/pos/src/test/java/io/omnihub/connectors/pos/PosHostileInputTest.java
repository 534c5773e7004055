package io.omnihub.connectors.pos;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.omnihub.connectors.pos.PosFixtures.APP_KEY;
import static io.omnihub.connectors.pos.PosFixtures.NOW;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testkit.hostile.HostileChecks;
import io.omnihub.testkit.hostile.HostileCorpus;
import io.omnihub.testkit.hostile.HostileInput;
import io.omnihub.testkit.hostile.Observation;
import io.omnihub.testkit.hostile.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpora of the POS connector, each taken through the real poller and normalizer:
 * {@code pos/hostile/pospal/}, Pospal (银豹) answers served by WireMock (broken, deep and duplicated
 * JSON, error envelopes of every shape, tickets and members with amounts, times and ids of the wrong
 * kind and size), and {@code pos/hostile/csv/}, files dropped in a csv-folder instance's folder
 * (wrong encodings, formula injection, quote bombs, ragged rows, oversized fields). Each has the
 * outcome its {@code outcomes.tsv} states.
 *
 * <p>Pospal deliveries: {@code tickets} the file as the ticket page answer, {@code ticket} the file
 * as the one ticket of a good page, {@code member} the file as the member lookup's answer for a good
 * ticket; {@code :<status>} serves it with that HTTP status. CSV: {@code csv} the file dropped as is.
 */
class PosHostileInputTest {

    @RegisterExtension
    static WireMockExtension wm = PospalStubs.server();

    @TempDir
    Path folder;

    static List<HostileInput> pospal() {
        return HostileCorpus.load(PosHostileInputTest.class, "/pos/hostile/pospal");
    }

    static List<HostileInput> csv() {
        return HostileCorpus.load(PosHostileInputTest.class, "/pos/hostile/csv");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pospal")
    void hostilePospalAnswerHasTheOutcomeAUserExpects(HostileInput input) {
        wm.resetAll();
        String[] delivery = input.delivery().split(":");
        ResponseDefinitionBuilder served = aResponse().withStatus(delivery.length > 1 ? Integer.parseInt(delivery[1]) : 200)
                .withHeader("Content-Type", "application/json;charset=UTF-8").withBody(input.bytes());
        String goodPage = PosFixtures.text("pospal/minimal-ticket-page.json");
        wm.stubFor(PospalStubs.signed(PospalApiClient.TICKET_PAGES_PATH).willReturn(switch (delivery[0]) {
            case "tickets" -> served;
            case "ticket" -> aResponse().withHeader("Content-Type", "application/json").withBody(
                    goodPage.substring(0, goodPage.indexOf("\"result\":[") + "\"result\":[".length()) + input.text()
                            + goodPage.substring(goodPage.indexOf("],\"pageSize\"")));
            default -> PospalStubs.json("minimal-ticket-page.json");
        }));
        wm.stubFor(PospalStubs.signed(PospalApiClient.CUSTOMER_BY_UID_PATH)
                .willReturn(delivery[0].equals("member") ? served : PospalStubs.json("member-zhang.json")));
        TestConnectorContext ctx = PosFixtures.context(PosFixtures.cloudConfig(wm.baseUrl()));
        ConnectorInstance instance = new PosConnector().open(ctx);
        Poller poller = instance.poller().orElseThrow();

        HostileChecks.expect(input, () -> Observation.ofSource(() -> poller.poll(Optional.empty()).records(),
                instance.normalizer(), ctx.connectorId(), ctx.instanceId()), List.of(APP_KEY), ctx::logLines);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("csv")
    void hostileCsvFileHasTheOutcomeAUserExpects(HostileInput input) throws IOException {
        Path file = folder.resolve(input.file());
        Files.write(file, input.bytes());
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofHours(1))));
        TestConnectorContext ctx = PosFixtures.context(PosFixtures.csvConfig(folder));
        ConnectorInstance instance = new PosConnector().open(ctx);
        Poller poller = instance.poller().orElseThrow();
        Path reason = folder.resolve("error").resolve(input.file() + ".error.txt");

        HostileChecks.expect(input, () -> {
            List<RawRecord> records = new ArrayList<>();
            Observation polled = Observation.ofCall(() -> records.addAll(pollUntilDone(poller)));
            if (polled.outcome() != Outcome.OK) {
                return polled;
            }
            if (Files.exists(reason)) {
                try {
                    return Observation.of(Outcome.FILE_REFUSED, Files.readString(reason));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return Observation.ofSource(() -> records, instance.normalizer(), ctx.connectorId(), ctx.instanceId());
        }, List.of(), ctx::logLines);
    }

    /** Polls and commits as the hub would until the folder holds nothing new; every record polled. */
    private static List<RawRecord> pollUntilDone(Poller poller) {
        List<RawRecord> records = new ArrayList<>();
        Optional<String> checkpoint = Optional.empty();
        for (int polls = 0; polls < 1000; polls++) {
            PollResult result = poller.poll(checkpoint);
            records.addAll(result.records());
            poller.committed(result.nextCheckpoint());
            checkpoint = Optional.of(result.nextCheckpoint());
            if (!result.hasMore() && result.records().isEmpty()) {
                return records;
            }
        }
        throw new AssertionError("the poller never caught up");
    }
}
