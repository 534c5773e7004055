package io.omnihub.connectors.tmall;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.omnihub.connectors.tmall.TmallFixtures.APP_KEY;
import static io.omnihub.connectors.tmall.TmallFixtures.APP_SECRET;
import static io.omnihub.connectors.tmall.TmallFixtures.SESSION;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.omnihub.testsupport.FreePort;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A WireMock stand-in for the TOP gateway that speaks its protocol: a POST of form-encoded
 * parameters to {@code /router/rest}. Every stub verifies the request's {@code sign} by
 * recomputing it from the received parameters, independently of {@link TopSigner}; a request
 * whose signature does not verify is answered like TOP does, with error 25.
 */
final class TopGateway {

    static final String PATH = "/router/rest";

    private final WireMock wireMock;
    private final String appKey;
    private final String secret;
    private final String session;

    TopGateway(WireMock wireMock) {
        this(wireMock, APP_KEY, APP_SECRET, SESSION);
    }

    TopGateway(WireMock wireMock, String appKey, String secret, String session) {
        this.wireMock = wireMock;
        this.appKey = appKey;
        this.secret = secret;
        this.session = session;
        // Lowest priority: whatever no valid stub matched and carries a wrong sign gets TOP's answer.
        wireMock.register(post(urlPathEqualTo(PATH)).atPriority(10)
                .andMatching(request -> MatchResult.of(!signatureValid(form(request), secret)))
                .willReturn(okJson("{\"error_response\":{\"code\":25,\"msg\":\"Invalid signature\","
                        + "\"request_id\":\"3xbvzd5ox1pn\"}}")));
    }

    /** The gateway URL for the connector's {@code api-base-url}. */
    static String url(String wireMockBaseUrl) {
        return wireMockBaseUrl + PATH;
    }

    /**
     * A call of {@code method} acting for the seller: form-encoded, JSON format, v 2.0, this app's
     * key, the seller's session, a valid signature.
     */
    MappingBuilder sessionCall(String method) {
        return call(method).withFormParam("session", equalTo(session));
    }

    /** A call of {@code method} by the app itself (TMC): no session. */
    MappingBuilder appCall(String method) {
        return call(method).withFormParam("session", absent());
    }

    private MappingBuilder call(String method) {
        return post(urlPathEqualTo(PATH)).atPriority(1)
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withFormParam("method", equalTo(method))
                .withFormParam("app_key", equalTo(appKey))
                .withFormParam("format", equalTo("json"))
                .withFormParam("v", equalTo("2.0"))
                .withFormParam("timestamp", WireMock.matching("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"))
                .andMatching(validSignature(secret));
    }

    /** Registers {@code call} answering {@code answer}. */
    void stub(MappingBuilder call, ResponseDefinitionBuilder answer) {
        wireMock.register(call.willReturn(answer));
    }

    static ResponseDefinitionBuilder answer(String resource) {
        return okJson(TmallFixtures.text(resource));
    }

    /** TOP answers its errors with HTTP 200 and an {@code error_response}. */
    static ResponseDefinitionBuilder error(int code, String msg, String subCode, String subMsg) {
        return okJson("{\"error_response\":{\"code\":" + code + ",\"msg\":\"" + msg + "\""
                + (subCode == null ? "" : ",\"sub_code\":\"" + subCode + "\",\"sub_msg\":\"" + subMsg + "\"")
                + ",\"request_id\":\"r3q1d\"}}");
    }

    static ResponseDefinitionBuilder serverError() {
        return aResponse().withStatus(502).withBody("<html><body>502 Bad Gateway</body></html>");
    }

    /** The form parameters of every request for {@code method} the gateway received, oldest first. */
    List<Map<String, String>> received(String method) {
        List<ServeEvent> events = new ArrayList<>(wireMock.getServeEvents());
        Collections.reverse(events); // WireMock lists the newest first
        List<Map<String, String>> forms = new ArrayList<>();
        for (ServeEvent event : events) {
            Map<String, String> form = form(event.getRequest());
            if (method.equals(form.get("method"))) {
                forms.add(form);
            }
        }
        return forms;
    }

    /** The {@code method} of every request the gateway received, oldest first. */
    List<String> receivedMethods() {
        List<ServeEvent> events = new ArrayList<>(wireMock.getServeEvents());
        Collections.reverse(events);
        return events.stream().map(event -> form(event.getRequest()).getOrDefault("method", "")).toList();
    }

    static ValueMatcher<Request> validSignature(String secret) {
        return request -> MatchResult.of(signatureValid(form(request), secret));
    }

    /** The URL-decoded form parameters of {@code request}'s body. */
    static Map<String, String> form(Request request) {
        Map<String, String> form = new LinkedHashMap<>();
        String body = request.getBodyAsString();
        if (body == null || body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        return form;
    }

    static boolean signatureValid(Map<String, String> form, String secret) {
        String sign = form.get("sign");
        return sign != null && sign.equals(expectedSign(form, secret));
    }

    /**
     * The sign TOP expects, computed here from PROTOCOLS §5 without {@link TopSigner}: every
     * parameter but {@code sign} with a value, sorted by name, as name+value; then md5 around the
     * secret, HmacMD5 or HmacSHA256 keyed with it, as sign_method says; uppercase hex.
     */
    static String expectedSign(Map<String, String> form, String secret) {
        List<String> names = new ArrayList<>(form.keySet());
        names.removeIf(name -> name.equals("sign") || form.get(name).isEmpty());
        names.sort(Comparator.naturalOrder());
        StringBuilder text = new StringBuilder();
        for (String name : names) {
            text.append(name).append(form.get(name));
        }
        byte[] data = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        try {
            byte[] digest = switch (form.getOrDefault("sign_method", "md5")) {
                case "md5" -> {
                    MessageDigest md5 = MessageDigest.getInstance("MD5");
                    md5.update(key);
                    md5.update(data);
                    md5.update(key);
                    yield md5.digest();
                }
                case "hmac" -> mac("HmacMD5", key, data);
                case "hmac-sha256" -> mac("HmacSHA256", key, data);
                default -> new byte[0];
            };
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mac(String algorithm, byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key, algorithm));
        return mac.doFinal(data);
    }

    /** A gateway URL where nothing listens. */
    static String deadUrl() {
        return "http://127.0.0.1:" + FreePort.pick() + PATH;
    }
}
