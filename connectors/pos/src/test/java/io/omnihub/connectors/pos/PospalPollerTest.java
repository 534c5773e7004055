package io.omnihub.connectors.pos;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.omnihub.connectors.pos.PosFixtures.APP_ID;
import static io.omnihub.connectors.pos.PosFixtures.cloudConfig;
import static io.omnihub.connectors.pos.PospalStubs.firstTicketPage;
import static io.omnihub.connectors.pos.PospalStubs.json;
import static io.omnihub.connectors.pos.PospalStubs.member;
import static io.omnihub.connectors.pos.PospalStubs.nextTicketPage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.TestConnectorContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PospalPollerTest {

    @RegisterExtension
    static WireMockExtension pospal = PospalStubs.server();

    /** The first poll at 10:00 reads the day up to 09:58 (window-delay 2m, initial-lookback 1d). */
    private static final String DAY_START = "2025-05-19 09:58:00";
    private static final String DAY_END = "2025-05-20 09:58:00";

    private TestConnectorContext ctx;
    private ConnectorInstance instance;
    private Poller poller;

    @BeforeEach
    void setUp() {
        open(cloudConfig(pospal.baseUrl()));
    }

    private void open(Map<String, String> config) {
        ctx = PosFixtures.context(config);
        instance = new PosConnector().open(ctx);
        poller = instance.poller().orElseThrow();
    }

    private void stubTwoPages() {
        pospal.stubFor(firstTicketPage(DAY_START, DAY_END).willReturn(json("ticket-page-1.json")));
        pospal.stubFor(nextTicketPage(DAY_START, DAY_END, "1747704615000017").willReturn(json("ticket-page-2.json")));
    }

    private static Instant after(String checkpoint) {
        return Instant.parse(read(checkpoint).path("after").asText());
    }

    private static JsonNode read(String checkpoint) {
        try {
            return PospalApiClient.JSON.readTree(checkpoint);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void firstPollReadsTheLastDayPageByPage() {
        stubTwoPages();

        PollResult first = poller.poll(Optional.empty());
        PollResult second = poller.poll(Optional.of(first.nextCheckpoint()));

        assertThat(first.records()).extracting(RawRecord::key)
                .containsExactly("202505200930150010001", "202505200941070010002");
        assertThat(first.hasMore()).as("a full page with a postBackParameter").isTrue();
        assertThat(read(first.nextCheckpoint()).path("page").path("parameterValue").asText()).isEqualTo("1747704615000017");
        assertThat(second.records()).extracting(RawRecord::key).containsExactly("202505200953320010003");
        assertThat(second.hasMore()).as("caught up with the horizon").isFalse();
        assertThat(after(second.nextCheckpoint())).isEqualTo(Instant.parse("2025-05-20T01:58:00Z"));
        assertThat(read(second.nextCheckpoint()).has("page")).isFalse();
    }

    @Test
    void recordsCarryTheTicketAsPospalSentIt() throws Exception {
        stubTwoPages();

        RawRecord record = poller.poll(Optional.empty()).records().get(0);

        JsonNode ticket = PospalApiClient.JSON.readTree(record.payloadAsUtf8());
        JsonNode sent = PospalApiClient.JSON.readTree(PosFixtures.text("pospal/ticket-page-1.json")).path("data").path("result").get(0);
        assertThat(ticket).isEqualTo(sent);
        assertThat(record.payloadAsUtf8()).contains("有机纯牛奶 250ml×12", "128.50", "592384817498735216");
        assertThat(record.contentType()).isEqualTo("application/json");
        assertThat(record.attributes()).containsEntry("storeId", APP_ID);
        assertThat(record.receivedAt()).isEqualTo(PosFixtures.NOW);
    }

    @Test
    void checkpointsOnlyMoveForward() {
        stubTwoPages();
        pospal.stubFor(firstTicketPage("2025-05-20 09:58:00", "2025-05-20 10:03:00").willReturn(json("ticket-page-empty.json")));

        String c1 = poller.poll(Optional.empty()).nextCheckpoint();
        String c2 = poller.poll(Optional.of(c1)).nextCheckpoint();
        String c3 = poller.poll(Optional.of(c2)).nextCheckpoint();
        ctx.mutableClock().advance(Duration.ofMinutes(5));
        String c4 = poller.poll(Optional.of(c3)).nextCheckpoint();

        assertThat(after(c1)).isEqualTo(Instant.parse("2025-05-19T01:58:00Z"));
        assertThat(List.of(after(c1), after(c2), after(c3), after(c4))).isSorted();
        assertThat(c3).as("caught up: nothing asked, checkpoint unchanged").isEqualTo(c2);
        assertThat(after(c4)).isEqualTo(Instant.parse("2025-05-20T02:03:00Z"));
    }

    @Test
    void rePollingFromAnOlderCheckpointRepeatsTheSameTicketsWithTheSameIds() {
        stubTwoPages();
        pospal.stubFor(member("592384817498735216").willReturn(json("member-zhang.json")));
        pospal.stubFor(member("592384817498735299").willReturn(json("member-li.json")));
        PollResult first = poller.poll(Optional.empty());
        PollResult second = poller.poll(Optional.of(first.nextCheckpoint()));

        // A crash before the second batch was committed: another node starts again from the first checkpoint.
        open(cloudConfig(pospal.baseUrl()));
        PollResult again = poller.poll(Optional.of(first.nextCheckpoint()));

        assertThat(again.records()).extracting(RawRecord::key).isEqualTo(second.records().stream().map(RawRecord::key).toList());
        assertThat(again.nextCheckpoint()).isEqualTo(second.nextCheckpoint());
        assertThat(ids(again.records())).isEqualTo(ids(second.records())).containsExactly(
                "pos:acme:" + APP_ID + ":202505200953320010003");
    }

    private List<String> ids(List<RawRecord> records) {
        return records.stream().flatMap(r -> instance.normalizer().normalize(r).stream()).map(CustomerEvent::id).toList();
    }

    @Test
    void aPageThatHandsBackTheSameParameterEndsTheWindowInsteadOfLooping() {
        pospal.stubFor(firstTicketPage(DAY_START, DAY_END).willReturn(json("ticket-page-1.json")));
        pospal.stubFor(nextTicketPage(DAY_START, DAY_END, "1747704615000017").willReturn(json("ticket-page-1.json")));

        PollResult first = poller.poll(Optional.empty());
        PollResult second = poller.poll(Optional.of(first.nextCheckpoint()));

        assertThat(read(second.nextCheckpoint()).has("page")).isFalse();
        assertThat(after(second.nextCheckpoint())).isEqualTo(Instant.parse("2025-05-20T01:58:00Z"));
        assertThat(ctx.logLines()).anySatisfy(line -> assertThat(line).contains("repeated postBackParameter"));
    }

    @Test
    void theReadmesTwoStubsMakeOneCustomerWithPhone13912345678() {
        // The minimal stubs the README offers for hub-level end-to-end tests, matched loosely on purpose.
        pospal.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo(PospalApiClient.TICKET_PAGES_PATH))
                .willReturn(json("minimal-ticket-page.json")));
        pospal.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo(PospalApiClient.CUSTOMER_BY_UID_PATH))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("\"customerUid\":592384817498735216"))
                .willReturn(json("minimal-member.json")));

        PollResult result = poller.poll(Optional.empty());
        List<CustomerEvent> events = instance.normalizer().normalize(result.records().get(0));

        assertThat(result.hasMore()).isFalse();
        PosFixtures.assertValid(events);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.id()).isEqualTo("pos:acme:" + APP_ID + ":202505200930150010001");
            assertThat(event.data().identities()).extracting(i -> i.type() + " " + i.value())
                    .containsExactly("phone +8613912345678", "member_card VIP0001");
            assertThat(event.data().order().totalMinor()).isEqualTo(12850);
        });
    }

    @Test
    void caughtUpPollAsksPospalNothing() {
        String caughtUp = PospalCheckpoint.after(Instant.parse("2025-05-20T01:58:00Z")).toJson();

        PollResult result = poller.poll(Optional.of(caughtUp));

        assertThat(result.records()).isEmpty();
        assertThat(result.hasMore()).isFalse();
        assertThat(result.nextCheckpoint()).isEqualTo(caughtUp);
        pospal.verify(0, postRequestedFor(urlPathEqualTo(PospalApiClient.TICKET_PAGES_PATH)));
    }

    @Test
    void aPollerFarBehindReadsADayAtATimeAndSaysItHasMore() {
        String behind = PospalCheckpoint.after(Instant.parse("2025-05-16T16:00:00Z")).toJson();
        pospal.stubFor(firstTicketPage("2025-05-17 00:00:00", "2025-05-18 00:00:00").willReturn(json("ticket-page-empty.json")));

        PollResult result = poller.poll(Optional.of(behind));

        assertThat(result.hasMore()).isTrue();
        assertThat(after(result.nextCheckpoint())).isEqualTo(Instant.parse("2025-05-17T16:00:00Z"));
    }

    @Test
    void windowsFollowTheConfiguredDelayAndZone() {
        Map<String, String> config = cloudConfig(pospal.baseUrl());
        config.put("window-delay", "0");
        config.put("initial-lookback", "30m");
        config.put("time-zone", "Asia/Tokyo");
        open(config);
        pospal.stubFor(firstTicketPage("2025-05-20 10:30:00", "2025-05-20 11:00:00").willReturn(json("ticket-page-empty.json")));

        PollResult result = poller.poll(Optional.empty());

        assertThat(result.hasMore()).isFalse();
        assertThat(after(result.nextCheckpoint())).isEqualTo(PosFixtures.NOW);
    }

    @Test
    void aCheckpointThisSourceDidNotWriteIsAConfigError() {
        assertThatThrownBy(() -> poller.poll(Optional.of("{\"v\":1,\"file\":\"sales.csv\"}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("reset");
    }

    @Test
    void pollIntervalIsConfigurableAndFiveMinutesByDefault() {
        assertThat(poller.interval()).isEqualTo(Duration.ofMinutes(5));

        Map<String, String> config = cloudConfig(pospal.baseUrl());
        config.put("poll-interval", "90s");
        open(config);
        assertThat(poller.interval()).isEqualTo(Duration.ofSeconds(90));
    }
}
