package io.omnihub.connectors.douyin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.errors.AuthException;
import io.omnihub.connector.errors.BadInputException;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Calls the 抖店 open API ({@code POST <base>/<method with '.' as '/'>}) through the hub's HTTP client.
 *
 * <p>Every request carries {@code app_key, method, v=2, timestamp} (unix seconds from the hub's
 * clock), {@code sign_method=hmac-sha256} and the {@link DoudianSigner} {@code sign} in the query,
 * the {@code access_token} there too (unsigned), and the {@link DoudianParamJson} {@code param_json}
 * as the body. Success is {@code code == 10000}.
 *
 * <p>The access_token of this self-use app's shop lives in the cluster-wide {@link TokenCache}
 * (7 days), its refresh_token beside it (14 days). A missing or expired token is obtained with
 * {@code token.refresh} when a refresh_token is known, else with {@code token.create}
 * ({@code grant_type=authorization_self}, the shop id). A call answered with a stale-token
 * {@code sub_code} drops the token, obtains a new one and is tried once more; refused again, it is
 * an {@link AuthException}.
 *
 * <p>Reads ({@code order.orderDetail}, {@code order.batchDecrypt}) are marked read-only so the hub
 * may retry them; token requests are not. URLs carry the access_token and never reach a log line
 * or an exception message.
 */
public final class DoudianApiClient {

    static final String TOKEN_CREATE = "token.create";
    static final String TOKEN_REFRESH = "token.refresh";
    static final String ORDER_DETAIL = "order.orderDetail";
    static final String BATCH_DECRYPT = "order.batchDecrypt";

    /** 抖店 documents 7 days for an access_token, used when it omits {@code expires_in}. */
    private static final Duration DEFAULT_ACCESS_TTL = Duration.ofDays(7);
    /** 抖店 documents 14 days for a refresh_token; kept an hour less so it is never used at its edge. */
    static final Duration REFRESH_TTL = Duration.ofDays(14).minusHours(1);

    private final ConnectorContext ctx;
    private final DouyinConfig config;
    private final String accessKey;
    private final String refreshKey;

    public DoudianApiClient(ConnectorContext ctx, DouyinConfig config) {
        this.ctx = ctx;
        this.config = config;
        // Keyed by app and shop, so changing either never picks up the other's token.
        String scope = config.appKey() + ":" + config.shopId();
        this.accessKey = "doudian_access_token:" + scope;
        this.refreshKey = "doudian_refresh_token:" + scope;
    }

    /** What {@code token.create} said about the shop, for the credentials check. */
    public record ShopToken(String shopId, String shopName) {
    }

    /**
     * {@code order.orderDetail} for the shop order (父订单) {@code shopOrderId}: its
     * {@code shop_order_detail}.
     *
     * @throws BadInputException when 抖店 knows no such order
     */
    public JsonNode orderDetail(String shopOrderId) {
        ObjectNode params = DouyinJson.MAPPER.createObjectNode().put("shop_order_id", shopOrderId);
        JsonNode detail = call(ORDER_DETAIL, params, true).path("shop_order_detail");
        if (!detail.isObject()) {
            throw new BadInputException(ORDER_DETAIL + " answered without shop_order_detail for order " + shopOrderId);
        }
        return detail;
    }

    /**
     * {@code order.batchDecrypt} of one cipher text of order {@code authId}: its entry of
     * {@code decrypt_infos}, empty when 抖店 returned none for it.
     *
     * @throws DoudianErrors.DoudianRefusal when 抖店 refused the decryption as a whole ({@code custom_err})
     */
    public Optional<JsonNode> decrypt(String authId, String cipherText) {
        ObjectNode params = DouyinJson.MAPPER.createObjectNode();
        params.putArray("cipher_infos").addObject().put("auth_id", authId).put("cipher_text", cipherText);
        JsonNode data = call(BATCH_DECRYPT, params, true);
        JsonNode customErr = data.path("custom_err");
        long errCode = customErr.path("err_code").asLong(0);
        if (errCode != 0) {
            throw new DoudianErrors.DoudianRefusal(errCode, "", BATCH_DECRYPT + " refused: " + errCode + " "
                    + DouyinJson.cut(customErr.path("err_msg").asText("")));
        }
        for (JsonNode info : data.path("decrypt_infos")) {
            if (cipherText.equals(info.path("cipher_text").asText(null)) || data.path("decrypt_infos").size() == 1) {
                return Optional.of(info);
            }
        }
        return Optional.empty();
    }

    /**
     * Calls {@code method} with {@code params} and the access token; the answer's {@code data}.
     *
     * @param readOnly whether the call only reads, so the hub may repeat it
     */
    public JsonNode call(String method, ObjectNode params, boolean readOnly) {
        String token = accessToken();
        Answer answer = send(method, params, token, readOnly);
        if (answer.staleToken()) {
            forget(token);
            // Safe for any call: 抖店 refused the first attempt before doing anything.
            answer = send(method, params, accessToken(), readOnly);
            if (answer.staleToken()) {
                throw new AuthException("抖店 refused a freshly obtained access_token on " + method + ": " + answer.code()
                        + " " + answer.subCode());
            }
        }
        if (!answer.success()) {
            throw DoudianErrors.ofApiCall(method, answer.code(), answer.msg(), answer.subCode(), answer.subMsg());
        }
        return answer.data();
    }

    /** The cached access token, obtained once for the whole cluster when missing or expired. */
    public String accessToken() {
        return ctx.tokens().getOrFetch(accessKey, this::obtainToken);
    }

    /**
     * Calls {@code token.create} now, bypassing the cache, and shares the new token with every node.
     * The credentials check: app key, secret and shop authorization are proven only by 抖店 itself.
     */
    public ShopToken createToken() {
        Answer answer = createTokenAnswer();
        TokenCache.Token token = remember(TOKEN_CREATE, answer);
        ctx.tokens().put(accessKey, token.value(), token.ttl());
        return new ShopToken(DouyinJson.id(answer.data(), "shop_id"), DouyinJson.text(answer.data(), "shop_name"));
    }

    private TokenCache.Token obtainToken() {
        Optional<String> refreshToken = ctx.tokens().get(refreshKey);
        if (refreshToken.isPresent()) {
            ObjectNode params = DouyinJson.MAPPER.createObjectNode()
                    .put("grant_type", "refresh_token")
                    .put("refresh_token", refreshToken.get());
            Answer refreshed = send(TOKEN_REFRESH, params, null, false);
            if (refreshed.success()) {
                return remember(TOKEN_REFRESH, refreshed);
            }
            if (!DoudianErrors.isRefreshTokenGone(refreshed.subCode())) {
                throw DoudianErrors.ofTokenCall(TOKEN_REFRESH, refreshed.code(), refreshed.msg(), refreshed.subCode(),
                        refreshed.subMsg());
            }
            ctx.tokens().invalidate(refreshKey);
            ctx.logger().log(System.Logger.Level.INFO, "抖店 refresh_token expired ({0}); creating a new access token",
                    refreshed.subCode());
        }
        return remember(TOKEN_CREATE, createTokenAnswer());
    }

    private Answer createTokenAnswer() {
        ObjectNode params = DouyinJson.MAPPER.createObjectNode()
                .put("code", "")
                .put("grant_type", "authorization_self")
                .put("shop_id", Long.parseLong(config.shopId()));
        return send(TOKEN_CREATE, params, null, false);
    }

    /** The token of a successful token answer; its refresh_token is kept for the next renewal. */
    private TokenCache.Token remember(String method, Answer answer) {
        if (!answer.success()) {
            throw DoudianErrors.ofTokenCall(method, answer.code(), answer.msg(), answer.subCode(), answer.subMsg());
        }
        String token = DouyinJson.text(answer.data(), "access_token");
        if (token.isEmpty()) {
            throw new TransientException("抖店 answered " + method + " without an access_token");
        }
        String refreshToken = DouyinJson.text(answer.data(), "refresh_token");
        if (!refreshToken.isEmpty()) {
            ctx.tokens().put(refreshKey, refreshToken, REFRESH_TTL);
        }
        long seconds = answer.data().path("expires_in").asLong(0);
        // Never longer than 抖店 documents: a cache entry "valid for ever" would outlive a revoked token.
        Duration ttl = seconds > 0 && seconds < DEFAULT_ACCESS_TTL.toSeconds() ? Duration.ofSeconds(seconds) : DEFAULT_ACCESS_TTL;
        ctx.logger().log(System.Logger.Level.DEBUG, "obtained a 抖店 access token with {0}, valid for {1} s",
                method, Long.toString(ttl.toSeconds()));
        return new TokenCache.Token(token, ttl);
    }

    /**
     * Drops {@code stale} from the cache unless another node has already replaced it: dropping a
     * fresh token would make this node obtain yet another one for nothing.
     */
    private void forget(String stale) {
        if (ctx.tokens().get(accessKey).filter(stale::equals).isPresent()) {
            ctx.tokens().invalidate(accessKey);
        }
    }

    private Answer send(String method, ObjectNode params, String accessToken, boolean readOnly) {
        String paramJson = DoudianParamJson.write(params);
        String timestamp = Long.toString(ctx.clock().instant().getEpochSecond());
        Map<String, String> query = new LinkedHashMap<>();
        query.put("app_key", config.appKey());
        query.put("method", method);
        query.put("v", "2");
        query.put("timestamp", timestamp);
        query.put("sign_method", DoudianSigner.SignMethod.HMAC_SHA256.id());
        query.put("sign", DoudianSigner.signRequest(DoudianSigner.SignMethod.HMAC_SHA256, config.appKey(),
                config.appSecret(), method, timestamp, paramJson));
        if (accessToken != null) {
            query.put("access_token", accessToken);
        }
        StringJoiner joined = new StringJoiner("&");
        query.forEach((name, value) -> joined.add(encode(name) + "=" + encode(value)));
        URI uri = URI.create(config.apiBaseUrl() + "/" + method.replace('.', '/') + "?" + joined);
        // x-open-no-old-err-code: answer in the code/sub_code scheme, as the official SDK asks.
        HttpRequest request = new HttpRequest("POST", uri,
                Map.of("Content-Type", List.of("application/json;charset=UTF-8"), "x-open-no-old-err-code", List.of("1")),
                paramJson.getBytes(StandardCharsets.UTF_8), HttpRequest.DEFAULT_TIMEOUT);
        HttpResponse response = ctx.http().send(readOnly ? request.asReadOnly() : request);
        return answer(method, response);
    }

    private static Answer answer(String method, HttpResponse response) {
        if (response.status() == 429) {
            throw new RateLimitedException("抖店 answered HTTP 429 on " + method, DoudianErrors.RATE_LIMIT_WAIT);
        }
        if (response.status() >= 500) {
            throw new TransientException("抖店 answered HTTP " + response.status() + " on " + method);
        }
        JsonNode body = null;
        try {
            body = DouyinJson.read(response.body());
        } catch (IOException e) {
            // handled below: gateways answer with HTML pages when 抖店 is unreachable behind them
        }
        boolean json = body != null && body.isObject() && (body.has("code") || body.has("err_no"));
        if (!response.isSuccess() && !json) {
            // A 4xx that is no 抖店 answer: the request went somewhere else than the open API.
            throw new ConfigException("抖店 answered HTTP " + response.status() + " on " + method
                    + "; check '" + DouyinConfig.API_BASE_URL + "'");
        }
        if (!json) {
            throw new TransientException("抖店 answered " + method + " with a body that is not an open API answer");
        }
        long code;
        String msg;
        if (body.has("code")) {
            code = body.path("code").asLong(-1);
            msg = DouyinJson.text(body, "msg");
        } else {
            // Older answers: err_no 0 is success.
            long errNo = body.path("err_no").asLong(-1);
            code = errNo == 0 ? DoudianErrors.SUCCESS : errNo;
            msg = DouyinJson.text(body, "message");
        }
        return new Answer(code, msg, DouyinJson.text(body, "sub_code"), DouyinJson.text(body, "sub_msg"), body.path("data"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** One 抖店 answer. */
    private record Answer(long code, String msg, String subCode, String subMsg, JsonNode data) {

        boolean success() {
            return code == DoudianErrors.SUCCESS;
        }

        boolean staleToken() {
            return DoudianErrors.isStaleToken(code, subCode);
        }
    }
}
