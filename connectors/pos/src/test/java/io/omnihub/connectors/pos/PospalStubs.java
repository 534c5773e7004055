package io.omnihub.connectors.pos;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.testsupport.FreePort;

/** WireMock stubs speaking Pospal's exact protocol, signature checked on the raw body. */
final class PospalStubs {

    private PospalStubs() {
    }

    /** A WireMock server that knows {@link PospalSignatureMatcher}. */
    static WireMockExtension server() {
        return WireMockExtension.newInstance()
                .options(wireMockConfig().dynamicPort().extensions(new PospalSignatureMatcher()))
                .build();
    }

    /** A signed JSON POST for the fixtures' account to {@code path}. */
    static MappingBuilder signed(String path) {
        return post(urlPathEqualTo(path))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(matchingJsonPath("$.appId", equalTo(PosFixtures.APP_ID)))
                .andMatching(PospalSignatureMatcher.NAME, Parameters.one("appKey", PosFixtures.APP_KEY));
    }

    /** The first page of the window ({@code start}, {@code end}], Pospal's local times. */
    static MappingBuilder firstTicketPage(String start, String end) {
        return signed(PospalApiClient.TICKET_PAGES_PATH)
                .withRequestBody(matchingJsonPath("$.startTime", equalTo(start)))
                .withRequestBody(matchingJsonPath("$.endTime", equalTo(end)))
                .withRequestBody(notContaining("postBackParameter"));
    }

    /** A later page: the request hands back the previous page's {@code postBackParameter}. */
    static MappingBuilder nextTicketPage(String start, String end, String parameterValue) {
        return signed(PospalApiClient.TICKET_PAGES_PATH)
                .withRequestBody(matchingJsonPath("$.startTime", equalTo(start)))
                .withRequestBody(matchingJsonPath("$.endTime", equalTo(end)))
                .withRequestBody(matchingJsonPath("$.postBackParameter.parameterType", equalTo("LAST_RESULT_MAX_ID")))
                .withRequestBody(matchingJsonPath("$.postBackParameter.parameterValue", equalTo(parameterValue)));
    }

    /** {@code queryByUid} for {@code customerUid}, sent as a JSON number with every digit. */
    static MappingBuilder member(String customerUid) {
        return signed(PospalApiClient.CUSTOMER_BY_UID_PATH)
                .withRequestBody(containing("\"customerUid\":" + customerUid));
    }

    static ResponseDefinitionBuilder json(String fixture) {
        return okJson(PosFixtures.text("pospal/" + fixture));
    }

    static ResponseDefinitionBuilder serverError() {
        return aResponse().withStatus(502).withBody("<html><body>502 Bad Gateway</body></html>");
    }

    /** A base URL where nothing listens. */
    static String deadBaseUrl() {
        return "http://127.0.0.1:" + FreePort.pick();
    }
}
