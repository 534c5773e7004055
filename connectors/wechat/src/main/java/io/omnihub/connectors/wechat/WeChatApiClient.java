package io.omnihub.connectors.wechat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Calls the WeChat (mp) or WeCom API through the hub's HTTP client, so every call gets the
 * instance's circuit breaker, retries and metrics.
 *
 * <p>The access token lives in the cluster-wide {@link TokenCache}: WeChat invalidates the previous
 * token whenever a new one is fetched, so one node fetching for all is not an optimisation but a
 * requirement. A call answered with a stale-token code ({@link WeChatErrors#STALE_TOKEN}) drops the
 * token and is tried once more with a fresh one.
 *
 * <p>Tokens and secrets travel only in request URLs, which never appear in a log line or exception.
 */
public final class WeChatApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Used when WeChat omits {@code expires_in}; it documents 7200 s. */
    private static final long DEFAULT_TOKEN_SECONDS = 7200;

    private final ConnectorContext ctx;
    private final WeChatConfig config;
    private final String tokenKey;

    public WeChatApiClient(ConnectorContext ctx, WeChatConfig config) {
        this.ctx = ctx;
        this.config = config;
        // Keyed by app id too, so a changed app id never picks up the old account's token.
        this.tokenKey = "access_token:" + config.appId();
    }

    /** GET {@code path} with {@code params} and the access token; the JSON answer whose errcode is 0. */
    public JsonNode get(String path, Map<String, String> params) {
        return call(path, token -> HttpRequest.get(uri(path, withToken(params, token))));
    }

    /** POST {@code body} as JSON to {@code path}; the JSON answer whose errcode is 0. */
    public JsonNode postJson(String path, Object body) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body cannot be written as JSON", e);
        }
        return call(path, token -> HttpRequest.postJson(uri(path, withToken(Map.of(), token)), json));
    }

    /** The cached access token, fetched once for the whole cluster when missing or expired. */
    public String accessToken() {
        return ctx.tokens().getOrFetch(tokenKey, this::fetchToken);
    }

    /**
     * Fetches a new token, bypassing the cache, and stores it for every node. Used by the
     * credentials check, which must ask WeChat rather than trust a cached token; storing it matters
     * because the fetch has just superseded the token the other nodes hold.
     */
    public void refreshToken() {
        TokenCache.Token token = fetchToken();
        ctx.tokens().put(tokenKey, token.value(), token.ttl());
    }

    private TokenCache.Token fetchToken() {
        String secret = config.appSecret().orElseThrow(() -> new ConfigException(
                "'" + WeChatConfig.APP_SECRET + "' is required for WeChat API calls (enrichment, actions, check)"));
        Map<String, String> params = new LinkedHashMap<>();
        String path;
        if (config.kind() == WeChatConfig.Kind.WECOM) {
            path = "/cgi-bin/gettoken";
            params.put("corpid", config.appId());
            params.put("corpsecret", secret);
        } else {
            path = "/cgi-bin/token";
            params.put("grant_type", "client_credential");
            params.put("appid", config.appId());
            params.put("secret", secret);
        }
        JsonNode answer = send(HttpRequest.get(uri(path, params)), path);
        int errcode = answer.path("errcode").asInt(0);
        if (errcode != 0) {
            throw WeChatErrors.ofTokenFetch(errcode, answer.path("errmsg").asText(""), ctx.clock());
        }
        String token = answer.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new TransientException("WeChat answered " + path + " without an access_token");
        }
        long seconds = answer.path("expires_in").asLong(DEFAULT_TOKEN_SECONDS);
        ctx.logger().log(System.Logger.Level.DEBUG, "fetched a WeChat access token valid for {0} s", seconds);
        // Never longer than WeChat documents: a cache entry "valid for ever" would outlive the token.
        return new TokenCache.Token(token, Duration.ofSeconds(seconds > 0 && seconds < DEFAULT_TOKEN_SECONDS
                ? seconds : DEFAULT_TOKEN_SECONDS));
    }

    private JsonNode call(String path, Function<String, HttpRequest> request) {
        String token = accessToken();
        JsonNode answer = send(request.apply(token), path);
        int errcode = answer.path("errcode").asInt(0);
        if (WeChatErrors.STALE_TOKEN.contains(errcode)) {
            forget(token);
            // Safe for POSTs as well: WeChat refused the first attempt before doing anything.
            answer = send(request.apply(accessToken()), path);
            errcode = answer.path("errcode").asInt(0);
            if (WeChatErrors.STALE_TOKEN.contains(errcode)) {
                throw new AuthException("WeChat refused a freshly fetched access token on " + path + ": "
                        + errcode + " " + answer.path("errmsg").asText(""));
            }
        }
        if (errcode != 0) {
            throw WeChatErrors.ofApiCall(path, errcode, answer.path("errmsg").asText(""), ctx.clock());
        }
        return answer;
    }

    /**
     * Drops {@code stale} from the cache unless another node has already replaced it: dropping a
     * fresh token would make this node fetch again and so supersede the fresh one everywhere.
     */
    private void forget(String stale) {
        if (ctx.tokens().get(tokenKey).filter(stale::equals).isPresent()) {
            ctx.tokens().invalidate(tokenKey);
        }
    }

    private JsonNode send(HttpRequest request, String path) {
        HttpResponse response = ctx.http().send(request);
        if (response.status() == 429) {
            throw new RateLimitedException("WeChat answered HTTP 429 on " + path, Duration.ofSeconds(60));
        }
        if (!response.isSuccess()) {
            throw new TransientException("WeChat answered HTTP " + response.status() + " on " + path);
        }
        try {
            JsonNode answer = JSON.readTree(response.body());
            if (answer == null || !answer.isObject()) {
                throw new TransientException("WeChat answered " + path + " with something other than a JSON object");
            }
            return answer;
        } catch (IOException e) {
            // Proxies and gateways answer 200 with HTML pages when WeChat is unreachable behind them.
            throw new TransientException("WeChat answered " + path + " with a body that is not JSON");
        }
    }

    private URI uri(String path, Map<String, String> params) {
        StringJoiner query = new StringJoiner("&");
        params.forEach((name, value) -> query.add(encode(name) + "=" + encode(value)));
        return URI.create(config.apiBaseUrl() + path + (params.isEmpty() ? "" : "?" + query));
    }

    private static Map<String, String> withToken(Map<String, String> params, String token) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("access_token", token);
        all.putAll(params);
        return all;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
