package io.omnihub.connectors.pos;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.omnihub.connectors.pos.PosFixtures.NOW;
import static io.omnihub.connectors.pos.PosFixtures.cloudConfig;
import static io.omnihub.connectors.pos.PospalStubs.firstTicketPage;
import static io.omnihub.connectors.pos.PospalStubs.json;
import static io.omnihub.connectors.pos.PospalStubs.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.testkit.TestConnectorContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PospalApiClientTest {

    @RegisterExtension
    static WireMockExtension pospal = PospalStubs.server();

    private static final Instant FROM = Instant.parse("2025-05-20T01:55:00Z");
    private static final Instant TO = Instant.parse("2025-05-20T02:00:00Z");

    private TestConnectorContext ctx;
    private PospalApiClient api;

    @BeforeEach
    void setUp() {
        open(cloudConfig(pospal.baseUrl()));
    }

    private void open(Map<String, String> config) {
        ctx = PosFixtures.context(config);
        api = new PospalApiClient(ctx, PospalConfig.from(ctx.config(), PosConfig.from(ctx.config(), PosFixtures.INSTANCE)));
    }

    private PospalApiClient.TicketPage page() {
        return api.queryTicketPage(FROM, TO, null);
    }

    @Test
    void requestIsTheSignedJsonBodyPospalExpects() {
        pospal.stubFor(firstTicketPage("2025-05-20 09:55:00", "2025-05-20 10:00:00").willReturn(json("ticket-page-1.json")));

        PospalApiClient.TicketPage page = page();

        assertThat(page.tickets()).hasSize(2);
        assertThat(page.pageSize()).isEqualTo(2);
        assertThat(page.hasNextPage()).isTrue();
        LoggedRequest request = pospal.getAllServeEvents().get(0).getRequest();
        String body = new String(request.getBody(), StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("{\"appId\":\"" + PosFixtures.APP_ID
                + "\",\"startTime\":\"2025-05-20 09:55:00\",\"endTime\":\"2025-05-20 10:00:00\"}");
        assertThat(request.getHeader("data-signature")).isEqualTo(PosFixtures.md5Upper(PosFixtures.APP_KEY, request.getBody()));
        assertThat(request.getHeader("time-stamp")).isEqualTo(Long.toString(NOW.toEpochMilli()));
        assertThat(request.getHeader("Content-Type")).isEqualToIgnoringCase("application/json; charset=utf-8");
    }

    @Test
    void numbersKeepEveryDigitAndDecimal() {
        pospal.stubFor(firstTicketPage("2025-05-20 09:55:00", "2025-05-20 10:00:00").willReturn(json("ticket-page-1.json")));

        var ticket = page().tickets().get(0);

        assertThat(PospalApiClient.text(ticket, "customerUid")).isEqualTo("592384817498735216");
        assertThat(ticket.path("totalAmount").decimalValue()).isEqualByComparingTo("128.50");
    }

    @Test
    void aWrongSignatureIsNotAnsweredByTheStub() {
        // Guards the stubs themselves: with another key the signature differs and nothing matches.
        open(Map.of("source", "cloud-api", "app-id", PosFixtures.APP_ID, "app-key", "0000111122223333",
                "api-base-url", pospal.baseUrl()));
        pospal.stubFor(firstTicketPage("2025-05-20 09:55:00", "2025-05-20 10:00:00").willReturn(json("ticket-page-1.json")));

        assertThatThrownBy(this::page).isInstanceOf(ConfigException.class).hasMessageContaining("404");
    }

    @Test
    void refusedSignatureIsAConfigErrorThatNamesTheKeysToCheck() {
        pospal.stubFor(post(urlPathEqualTo(PospalApiClient.TICKET_PAGES_PATH)).willReturn(json("error-signature.json")));

        assertThatThrownBy(this::page).isInstanceOf(ConfigException.class)
                .hasMessageContaining("数据签名错误").hasMessageContaining("app-key").hasMessageNotContaining(PosFixtures.APP_KEY);
    }

    @Test
    void frequencyLimitIsRateLimitedForAMinute() {
        pospal.stubFor(post(urlPathEqualTo(PospalApiClient.TICKET_PAGES_PATH)).willReturn(json("error-frequency.json")));

        assertThatThrownBy(this::page).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60)));
    }

    @Test
    void dailyQuotaIsRateLimitedUntilMidnightInShanghai() {
        pospal.stubFor(post(urlPathEqualTo(PospalApiClient.TICKET_PAGES_PATH)).willReturn(json("error-daily-quota.json")));

        // 10:00 in Shanghai: 14 hours to midnight.
        assertThatThrownBy(this::page).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofHours(14)));
    }

    @Test
    void http429IsRateLimitedForWhatRetryAfterSays() {
        pospal.stubFor(post(urlPathEqualTo(PospalApiClient.TICKET_PAGES_PATH))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));

        assertThatThrownBy(this::page).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void serverErrorsBusyAnswersAndHtmlAreTransient() {
        pospal.stubFor(post(urlPathEqualTo(PospalApiClient.TICKET_PAGES_PATH)).willReturn(PospalStubs.serverError()));
        assertThatThrownBy(this::page).isInstanceOf(TransientException.class).hasMessageContaining("502");

        pospal.resetAll();
        pospal.stubFor(post(urlPathEqualTo(PospalApiClient.TICKET_PAGES_PATH)).willReturn(json("error-busy.json")));
        assertThatThrownBy(this::page).isInstanceOf(TransientException.class).hasMessageContaining("系统繁忙");

        pospal.resetAll();
        pospal.stubFor(post(urlPathEqualTo(PospalApiClient.TICKET_PAGES_PATH)).willReturn(aResponse().withStatus(200)
                .withBody("<html>维护中</html>")));
        assertThatThrownBy(this::page).isInstanceOf(TransientException.class).hasMessageContaining("not JSON");
    }

    @Test
    void unreachablePospalIsTransient() {
        open(cloudConfig(PospalStubs.deadBaseUrl()));

        assertThatThrownBy(this::page).isInstanceOf(TransientException.class);
    }

    @Test
    void otherRefusalsAreBadInputWithPospalsWords() {
        pospal.stubFor(post(urlPathEqualTo(PospalApiClient.TICKET_PAGES_PATH)).willReturn(json("error-parameter.json")));

        assertThatThrownBy(this::page).isInstanceOfSatisfying(PospalErrors.PospalRefusal.class, e -> {
            assertThat(e.errorCode()).isEqualTo("1011");
            assertThat(e.getMessage()).contains("31天");
        });
    }

    @Test
    void memberIsLookedUpByUidOnceWithinTheCacheLifetime() {
        pospal.stubFor(member("592384817498735216").willReturn(json("member-zhang.json")));

        var first = api.member("592384817498735216");
        var second = api.member("592384817498735216");

        assertThat(first).hasValueSatisfying(m -> {
            assertThat(m.phone()).isEqualTo("13912345678");
            assertThat(m.number()).isEqualTo("VIP0001");
            assertThat(m.name()).isEqualTo("张三");
            assertThat(m.email()).isNull();
        });
        assertThat(second).isEqualTo(first);
        pospal.verify(1, postRequestedFor(urlPathEqualTo(PospalApiClient.CUSTOMER_BY_UID_PATH)));

        ctx.mutableClock().advance(Duration.ofHours(1).plusSeconds(1));
        api.member("592384817498735216");
        pospal.verify(2, postRequestedFor(urlPathEqualTo(PospalApiClient.CUSTOMER_BY_UID_PATH)));
    }

    @Test
    void memberPospalDoesNotKnowIsEmptyNotAnError() {
        pospal.stubFor(member("592384817498735200").willReturn(json("member-not-found.json")));

        assertThat(api.member("592384817498735200")).isEmpty();
    }

    @Test
    void cacheCanBeTurnedOff() {
        Map<String, String> config = cloudConfig(pospal.baseUrl());
        config.put("customer-cache-ttl", "0");
        open(config);
        pospal.stubFor(member("592384817498735216").willReturn(json("member-zhang.json")));

        api.member("592384817498735216");
        api.member("592384817498735216");

        pospal.verify(2, postRequestedFor(urlPathEqualTo(PospalApiClient.CUSTOMER_BY_UID_PATH))
                .withHeader("data-signature", com.github.tomakehurst.wiremock.client.WireMock.matching("[0-9A-F]{32}")));
        assertThat(ctx.tokenCache().fetchCount()).isZero();
    }

    @Test
    void lookupFailureIsNotCached() {
        pospal.stubFor(member("592384817498735216").willReturn(PospalStubs.serverError()));
        assertThatThrownBy(() -> api.member("592384817498735216")).isInstanceOf(TransientException.class);

        pospal.resetAll();
        pospal.stubFor(member("592384817498735216").willReturn(json("member-zhang.json")));
        assertThat(api.member("592384817498735216")).isPresent();
    }

    @Test
    void forbiddenAndNotFoundHostsAreConfigErrors() {
        pospal.stubFor(post(urlPathEqualTo(PospalApiClient.TICKET_PAGES_PATH)).willReturn(aResponse().withStatus(403)));
        assertThatThrownBy(this::page).isInstanceOf(ConfigException.class).hasMessageContaining("403");

        pospal.resetAll();
        pospal.stubFor(post(urlPathEqualTo("/elsewhere")).willReturn(okJson("{}")));
        assertThatThrownBy(this::page).isInstanceOf(ConfigException.class).hasMessageContaining("api-base-url");
    }

    @Test
    void requestsAreMarkedReadOnlySoTheHubMayRepeatThem() {
        RecordingHttp http = new RecordingHttp();
        TestConnectorContext base = PosFixtures.context(cloudConfig(pospal.baseUrl()));
        var recording = base.withHttp(http);
        pospal.stubFor(firstTicketPage("2025-05-20 09:55:00", "2025-05-20 10:00:00").willReturn(json("ticket-page-empty.json")));

        new PospalApiClient(recording, PospalConfig.from(base.config(), PosConfig.from(base.config(), "x")))
                .queryTicketPage(FROM, TO, null);

        assertThat(http.requests).singleElement().satisfies(r -> {
            assertThat(r.readOnly()).isTrue();
            assertThat(r.idempotent()).isTrue();
            assertThat(r.headers()).containsKeys("data-signature", "time-stamp");
        });
        pospal.verify(1, postRequestedFor(urlPathEqualTo(PospalApiClient.TICKET_PAGES_PATH))
                .withHeader("User-Agent", equalTo("openApi")));
    }
}
