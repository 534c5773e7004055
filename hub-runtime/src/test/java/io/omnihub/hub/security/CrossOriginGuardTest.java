package io.omnihub.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** The cross-origin rule on the requests browsers and scripts send, header by header. */
class CrossOriginGuardTest {

    private final CrossOriginGuard guard = new CrossOriginGuard(List.of("https://ops.example.com/"));

    @Test
    void readingIsNeverRefused() {
        assertThat(guard.refusal(request("GET", Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")))).isNull();
        assertThat(guard.refusal(request("HEAD", Map.of("Sec-Fetch-Site", "cross-site")))).isNull();
    }

    @Test
    void fetchMetadataDecidesWhenABrowserSendsIt() {
        assertThat(guard.refusal(request("POST", Map.of("Sec-Fetch-Site", "same-origin")))).isNull();
        assertThat(guard.refusal(request("POST", Map.of("Sec-Fetch-Site", "none")))).isNull();
        assertThat(guard.refusal(request("POST", Map.of("Sec-Fetch-Site", "same-site")))).contains("same-site");
        assertThat(guard.refusal(request("DELETE", Map.of("Sec-Fetch-Site", "cross-site", "Origin", "http://hub.example:8080"))))
                .contains("cross-site");
    }

    @Test
    void withoutFetchMetadataTheOriginMustBeTheHubsOwnHost() {
        assertThat(guard.refusal(request("POST", Map.of("Origin", "http://hub.example:8080")))).isNull();
        assertThat(guard.refusal(request("PUT", Map.of("Origin", "http://hub.example:9090")))).contains("cross-origin");
        assertThat(guard.refusal(request("POST", Map.of("Origin", "https://evil.example")))).contains("cross-origin");
        assertThat(guard.refusal(request("POST", Map.of("Origin", "null")))).contains("cross-origin");
    }

    @Test
    void aTrustedOriginPassesWhateverItsFetchMetadata() {
        assertThat(guard.refusal(request("POST", Map.of("Origin", "https://OPS.example.com", "Sec-Fetch-Site", "cross-site")))).isNull();
    }

    @Test
    void aClientThatIsNoBrowserPasses() {
        assertThat(guard.refusal(request("POST", Map.of()))).isNull();
    }

    private static MockHttpServletRequest request(String method, Map<String, String> headers) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/v1/plugins");
        request.addHeader("Host", "hub.example:8080");
        headers.forEach(request::addHeader);
        return request;
    }
}
