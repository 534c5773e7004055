package io.omnihub.connectors.douyin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.errors.AuthException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import io.omnihub.connector.state.TokenCache;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Calls the Douyin Open Platform through the hub's HTTP client with the app's client_token.
 *
 * <p>The client_token ({@code POST /oauth/client_token/}) lives in the cluster-wide
 * {@link TokenCache}: Douyin keeps only the latest two tokens and allows 500 fetches per 5 minutes,
 * so the whole cluster shares one. A call answered with a stale-token code
 * ({@link DouyinErrors#STALE_TOKEN}) drops the token and is tried once more with a fresh one.
 *
 * <p>Tokens travel only in the {@code access-token} header and the secret only in the token
 * request's body; neither appears in a log line or exception.
 */
public final class DouyinOpenApiClient {

    static final String CLIENT_TOKEN_PATH = "/oauth/client_token/";
    /** Used when Douyin omits {@code expires_in}; it documents 7200 s. */
    private static final long DEFAULT_TOKEN_SECONDS = 7200;

    private final ConnectorContext ctx;
    private final DouyinConfig config;
    private final String tokenKey;

    public DouyinOpenApiClient(ConnectorContext ctx, DouyinConfig config) {
        this.ctx = ctx;
        this.config = config;
        // Keyed by client_key too, so a changed client_key never picks up the old app's token.
        this.tokenKey = "client_token:" + config.clientKey();
    }

    /** The cached client_token, fetched once for the whole cluster when missing or expired. */
    public String clientToken() {
        return ctx.tokens().getOrFetch(tokenKey, this::fetchClientToken);
    }

    /**
     * Fetches a new client_token, bypassing the cache, and stores it for every node. Used by the
     * credentials check, which must ask Douyin rather than trust a cached token.
     */
    public void refreshClientToken() {
        TokenCache.Token token = fetchClientToken();
        ctx.tokens().put(tokenKey, token.value(), token.ttl());
    }

    /**
     * {@code GET path} with {@code query} and the client_token in the {@code access-token} header;
     * the answer's {@code data} once its {@code error_code} is 0.
     */
    public JsonNode get(String path, Map<String, String> query) {
        String token = clientToken();
        JsonNode answer = send(request(path, query, token), path);
        long code = errorCode(answer);
        if (DouyinErrors.STALE_TOKEN.contains(code)) {
            forget(token);
            answer = send(request(path, query, clientToken()), path);
            code = errorCode(answer);
            if (DouyinErrors.STALE_TOKEN.contains(code)) {
                throw new AuthException("Douyin refused a freshly fetched client_token on " + path + ": " + code + " "
                        + description(answer));
            }
        }
        if (code != 0) {
            throw DouyinErrors.ofApiCall(path, code, description(answer));
        }
        return answer.path("data");
    }

    private HttpRequest request(String path, Map<String, String> query, String token) {
        StringJoiner joined = new StringJoiner("&");
        query.forEach((name, value) -> joined.add(encode(name) + "=" + encode(value)));
        URI uri = URI.create(config.apiBaseUrl() + path + (query.isEmpty() ? "" : "?" + joined));
        return new HttpRequest("GET", uri, Map.of("access-token", List.of(token)), new byte[0], HttpRequest.DEFAULT_TIMEOUT);
    }

    private TokenCache.Token fetchClientToken() {
        ObjectNode body = DouyinJson.MAPPER.createObjectNode()
                .put("grant_type", "client_credential")
                .put("client_key", config.clientKey())
                .put("client_secret", config.clientSecret());
        String json;
        try {
            json = DouyinJson.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a token request always serialises", e);
        }
        JsonNode answer = send(HttpRequest.postJson(URI.create(config.apiBaseUrl() + CLIENT_TOKEN_PATH), json), CLIENT_TOKEN_PATH);
        long code = errorCode(answer);
        if (code != 0) {
            throw DouyinErrors.ofTokenFetch(code, description(answer));
        }
        String token = answer.path("data").path("access_token").asText("");
        if (token.isEmpty()) {
            throw new TransientException("Douyin answered " + CLIENT_TOKEN_PATH + " without an access_token");
        }
        long seconds = answer.path("data").path("expires_in").asLong(DEFAULT_TOKEN_SECONDS);
        ctx.logger().log(System.Logger.Level.DEBUG, "fetched a Douyin client_token valid for {0} s", Long.toString(seconds));
        // Never longer than Douyin documents: a cache entry "valid for ever" would outlive the token.
        return new TokenCache.Token(token, Duration.ofSeconds(seconds > 0 && seconds < DEFAULT_TOKEN_SECONDS
                ? seconds : DEFAULT_TOKEN_SECONDS));
    }

    /**
     * Drops {@code stale} from the cache unless another node has already replaced it: dropping a
     * fresh token would make this node fetch again for nothing.
     */
    private void forget(String stale) {
        if (ctx.tokens().get(tokenKey).filter(stale::equals).isPresent()) {
            ctx.tokens().invalidate(tokenKey);
        }
    }

    /** Douyin puts the code in {@code data.error_code}, in {@code extra.error_code} on newer APIs, or in {@code err_no}. */
    static long errorCode(JsonNode answer) {
        for (JsonNode code : List.of(answer.path("data").path("error_code"), answer.path("extra").path("error_code"),
                answer.path("err_no"))) {
            if (code.canConvertToLong() && code.asLong() != 0) {
                return code.asLong();
            }
        }
        return 0;
    }

    private static String description(JsonNode answer) {
        for (JsonNode text : List.of(answer.path("data").path("description"), answer.path("extra").path("description"),
                answer.path("err_msg"), answer.path("message"))) {
            if (text.isTextual() && !text.asText().isBlank()) {
                return text.asText();
            }
        }
        return "";
    }

    private JsonNode send(HttpRequest request, String path) {
        HttpResponse response = ctx.http().send(request);
        if (response.status() == 429) {
            throw new RateLimitedException("Douyin answered HTTP 429 on " + path, Duration.ofSeconds(60));
        }
        if (response.status() >= 500) {
            throw new TransientException("Douyin answered HTTP " + response.status() + " on " + path);
        }
        JsonNode answer = null;
        try {
            answer = DouyinJson.read(response.body());
        } catch (IOException e) {
            // handled below: gateways answer with HTML pages when Douyin is unreachable behind them
        }
        boolean json = answer != null && answer.isObject();
        if (!response.isSuccess() && !(json && errorCode(answer) != 0)) {
            // A 4xx that is no Douyin error answer: the request went somewhere else than the API.
            throw new ConfigException("Douyin answered HTTP " + response.status() + " on " + path
                    + "; check '" + DouyinConfig.API_BASE_URL + "'");
        }
        if (!json) {
            throw new TransientException("Douyin answered " + path + " with a body that is not a JSON object");
        }
        return answer;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
