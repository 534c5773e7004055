package io.omnihub.connectors.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.errors.AuthException;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import io.omnihub.connector.state.TokenCache;
import io.omnihub.connectors.erp.KingdeeConfig.AuthMode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Calls the K/3 Cloud WebAPI ({@code POST <base-url>/Kingdee.BOS.WebApi.ServicesStub.<service>.common.kdsvc},
 * JSON both ways) through the hub's HTTP client, so every call gets the instance's circuit breaker,
 * retries and metrics.
 *
 * <p><b>Sessions</b> ({@code password} and {@code app-secret} modes): the login answer's cookies
 * ({@code kdservice-sessionid}, {@code ASP.NET_SessionId}) are the session. The hub's HTTP client
 * keeps no cookies, so this class sends the {@code Cookie} header itself, and keeps the cookie text
 * in the cluster-wide {@link TokenCache} so that the whole cluster shares one login. When Kingdee
 * answers that the session is lost ("会话信息已丢失", MsgCode 1) the stale session is dropped, a new
 * login made and the call repeated once; Kingdee did nothing the first time, so this is safe for a
 * Save as well.
 *
 * <p><b>Signed mode</b>: no login; every request carries the {@link KingdeeSigner} headers for its path.
 *
 * <p>Thread-safe: the only state is in the token cache. Cookies, passwords and secrets never appear
 * in a log line or exception message.
 */
public final class KingdeeApiClient {

    /** Exact decimals: Kingdee amounts must never pass through {@code double}. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // Which of two "IsSuccess"es counts must not be left to the parser.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    static final String VALIDATE_USER = "AuthService.ValidateUser";
    static final String LOGIN_BY_APP_SECRET = "AuthService.LoginByAppSecret";
    static final String EXECUTE_BILL_QUERY = "DynamicFormService.ExecuteBillQuery";
    static final String SAVE = "DynamicFormService.Save";

    /**
     * How long a login is reused. Kingdee expires idle sessions on its own schedule (20 minutes and
     * more); a lost session is noticed and replaced anyway, this only bounds how old one gets.
     */
    static final Duration SESSION_TTL = Duration.ofMinutes(15);
    /** ERP servers answer large queries slowly; well above the SDK default of 10 s. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The cookie Kingdee's session id travels in; also in the login answer as {@code KDSVCSessionId}. */
    static final String SESSION_COOKIE = "kdservice-sessionid";

    private final ConnectorContext ctx;
    private final KingdeeConfig config;
    private final KingdeeSigner signer;
    private final String sessionKey;

    public KingdeeApiClient(ConnectorContext ctx, KingdeeConfig config) {
        this.ctx = ctx;
        this.config = config;
        this.signer = config.authMode() == AuthMode.SIGNED
                ? new KingdeeSigner(config.appId().orElseThrow(), config.appSecret().orElseThrow(), config.acctId(),
                        config.username(), config.lcid(), config.orgNumber())
                : null;
        // Keyed by everything that identifies the login, so a changed configuration never reuses a session.
        this.sessionKey = "kingdee-session:" + config.authMode().id() + ":" + config.acctId() + ":" + config.username()
                + config.appId().map(id -> ":" + id).orElse("");
    }

    /** A query for {@code DynamicFormService.ExecuteBillQuery}; rows come back as arrays in {@code fieldKeys} order. */
    public record BillQuery(String formId, List<String> fieldKeys, String filterString, String orderString,
                            int startRow, int limit) {

        public BillQuery {
            fieldKeys = List.copyOf(fieldKeys);
        }

        ObjectNode toJson() {
            ObjectNode data = JSON.createObjectNode();
            data.put("FormId", formId);
            data.put("FieldKeys", String.join(",", fieldKeys));
            data.put("FilterString", filterString);
            data.put("OrderString", orderString);
            data.put("TopRowCount", 0);
            data.put("StartRow", startRow);
            data.put("Limit", limit);
            return data;
        }
    }

    /**
     * Runs an ExecuteBillQuery (a read sent as POST, marked read-only so the hub may repeat it).
     *
     * @return the rows, each an array with one value per field key
     */
    public List<ArrayNode> executeBillQuery(BillQuery query) {
        ObjectNode body = JSON.createObjectNode();
        body.set("data", query.toJson());
        JsonNode answer = call(EXECUTE_BILL_QUERY, body, true);
        Optional<JsonNode> status = KingdeeErrors.status(answer);
        if (status.isPresent() && KingdeeErrors.failed(status.get())) {
            throw KingdeeErrors.ofQuery(query.formId(), status.get());
        }
        if (!answer.isArray()) {
            throw new TransientException("Kingdee answered ExecuteBillQuery on " + query.formId()
                    + " with something other than an array of rows");
        }
        List<ArrayNode> rows = new ArrayList<>(answer.size());
        for (JsonNode row : answer) {
            if (!row.isArray() || row.size() != query.fieldKeys().size()) {
                throw new BadInputException("Kingdee answered ExecuteBillQuery on " + query.formId() + " with a row of "
                        + (row.isArray() ? row.size() + " values" : row.getNodeType().toString().toLowerCase(Locale.ROOT))
                        + " for " + query.fieldKeys().size() + " FieldKeys");
            }
            rows.add((ArrayNode) row);
        }
        return rows;
    }

    /**
     * Runs {@code DynamicFormService.Save} for {@code formId} with {@code data}
     * ({@code {"NeedUpDateFields":[],"Model":{...}}}).
     *
     * @return the answer's {@code Result} ({@code Id}, {@code Number}, {@code ResponseStatus})
     * @throws BadInputException listing {@code FieldName: Message} when Kingdee refuses the data
     */
    public JsonNode save(String formId, ObjectNode data) {
        ObjectNode body = JSON.createObjectNode();
        body.put("formid", formId);
        body.set("data", data);
        JsonNode answer = call(SAVE, body, false);
        JsonNode status = KingdeeErrors.status(answer).orElseThrow(() -> new TransientException(
                "Kingdee answered Save of " + formId + " without a ResponseStatus"));
        if (KingdeeErrors.failed(status)) {
            throw KingdeeErrors.ofSave(formId, status);
        }
        return answer.path("Result");
    }

    /**
     * Logs in anew, bypassing the cache, and shares the session with every node: the credentials
     * check must ask Kingdee rather than trust a cached session. Signed mode has no login.
     */
    public void refreshSession() {
        if (!config.authMode().usesSession()) {
            return;
        }
        TokenCache.Token session = login();
        ctx.tokens().put(sessionKey, session.value(), session.ttl());
    }

    private JsonNode call(String service, ObjectNode body, boolean readOnly) {
        byte[] bytes = write(body);
        if (!config.authMode().usesSession()) {
            JsonNode answer = parse(post(service, bytes, readOnly, null), service);
            if (KingdeeErrors.sessionLost(answer)) {
                throw new AuthException("Kingdee did not accept the signed request to " + service + ": "
                        + KingdeeErrors.status(answer).map(KingdeeErrors::describe).orElse("session lost")
                        + "; check app-id, app-secret, acct-id, username and the hub's clock");
            }
            return answer;
        }
        String session = ctx.tokens().getOrFetch(sessionKey, this::login);
        JsonNode answer = parse(post(service, bytes, readOnly, session), service);
        if (KingdeeErrors.sessionLost(answer)) {
            ctx.logger().log(System.Logger.Level.INFO, "Kingdee session lost on {0}; logging in again", service);
            forget(session);
            answer = parse(post(service, bytes, readOnly, ctx.tokens().getOrFetch(sessionKey, this::login)), service);
            if (KingdeeErrors.sessionLost(answer)) {
                throw new AuthException("Kingdee lost the session again right after a new login on " + service + ": "
                        + KingdeeErrors.status(answer).map(KingdeeErrors::describe).orElse("session lost"));
            }
        }
        return answer;
    }

    /**
     * Drops {@code stale} from the cache unless another node has already replaced it: dropping a
     * fresh session would make this node log in again for nothing.
     */
    private void forget(String stale) {
        if (ctx.tokens().get(sessionKey).filter(stale::equals).isPresent()) {
            ctx.tokens().invalidate(sessionKey);
        }
    }

    /** Logs in with the configured mode; the session's cookies as one {@code Cookie} header value. */
    private TokenCache.Token login() {
        ObjectNode body = JSON.createObjectNode();
        body.put("acctid", config.acctId());
        body.put("username", config.username());
        String service;
        if (config.authMode() == AuthMode.APP_SECRET) {
            service = LOGIN_BY_APP_SECRET;
            body.put("appid", config.appId().orElseThrow());
            body.put("appsecret", config.appSecret().orElseThrow());
        } else {
            service = VALIDATE_USER;
            body.put("password", config.password().orElseThrow());
        }
        body.put("lcid", config.lcid());
        // A login changes no business data: the hub may repeat it after a transport failure.
        HttpResponse response = post(service, write(body), true, null);
        JsonNode answer = parse(response, service);
        int resultType = answer.path("LoginResultType").asInt(Integer.MIN_VALUE);
        if (resultType != 1) {
            String message = KingdeeErrors.cut(answer.path("Message").asText("").trim());
            throw new ConfigException("Kingdee refused the login of user '" + config.username() + "' to data center '"
                    + config.acctId() + "' (" + config.authMode().id() + "): "
                    + (message.isEmpty() ? "no message" : message)
                    + (resultType == Integer.MIN_VALUE ? "" : " (LoginResultType " + resultType + ")"));
        }
        Map<String, String> cookies = cookies(response);
        String sessionId = answer.path("KDSVCSessionId").asText("").trim();
        if (!sessionId.isEmpty()) {
            cookies.putIfAbsent(SESSION_COOKIE, sessionId);
        }
        if (cookies.isEmpty()) {
            throw new TransientException("Kingdee accepted the login but set no session cookie");
        }
        StringBuilder header = new StringBuilder();
        cookies.forEach((name, value) -> header.append(header.isEmpty() ? "" : "; ").append(name).append('=').append(value));
        ctx.logger().log(System.Logger.Level.DEBUG, "logged in to Kingdee data center {0} as {1}",
                config.acctId(), config.username());
        return new TokenCache.Token(header.toString(), SESSION_TTL);
    }

    /** The {@code name=value} pairs of every {@code Set-Cookie} header, in arrival order. */
    private static Map<String, String> cookies(HttpResponse response) {
        Map<String, String> cookies = new LinkedHashMap<>();
        response.headers().forEach((name, values) -> {
            if (!"set-cookie".equalsIgnoreCase(name)) {
                return;
            }
            for (String value : values) {
                String pair = value.split(";", 2)[0].trim();
                int eq = pair.indexOf('=');
                if (eq > 0 && eq < pair.length() - 1) {
                    cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        });
        return cookies;
    }

    private HttpResponse post(String service, byte[] body, boolean readOnly, String cookie) {
        URI uri = URI.create(config.baseUrl() + "/Kingdee.BOS.WebApi.ServicesStub." + service + ".common.kdsvc");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json;charset=UTF-8"));
        headers.put("Accept", List.of("application/json"));
        if (cookie != null) {
            headers.put("Cookie", List.of(cookie));
        }
        if (signer != null) {
            headers.putAll(signer.headers(uri.getRawPath(), ctx.clock().instant().getEpochSecond()));
        }
        HttpRequest request = new HttpRequest("POST", uri, headers, body, TIMEOUT);
        HttpResponse response = ctx.http().send(readOnly ? request.asReadOnly() : request);
        int status = response.status();
        if (status == 429) {
            throw KingdeeErrors.rateLimited(service, header(response, "Retry-After"));
        }
        if (status == 404) {
            throw new ConfigException("no K/3 Cloud WebAPI at " + config.baseUrl() + ": HTTP 404 on " + service
                    + "; check '" + KingdeeConfig.BASE_URL + "' (the site address, e.g. https://erp.example.com/k3cloud)");
        }
        if (status < 200 || status >= 300) {
            throw new TransientException("Kingdee answered HTTP " + status + " on " + service);
        }
        return response;
    }

    private static JsonNode parse(HttpResponse response, String service) {
        try {
            JsonNode answer = JSON.readTree(response.body());
            if (answer == null || answer.isMissingNode() || !(answer.isObject() || answer.isArray())) {
                throw new TransientException("Kingdee answered " + service + " with an empty body");
            }
            return answer;
        } catch (IOException | NumberFormatException e) {
            // NumberFormatException: an exponent beyond what BigDecimal takes, which Jackson lets through unchecked.
            String text = response.bodyAsUtf8();
            if (KingdeeErrors.mentionsLostSession(text)) {
                // Some versions answer a lost session in plain text; make it look like MsgCode 1.
                return lostSession(text);
            }
            // IIS error pages and gateways answer HTML when the ERP behind them is down.
            throw new TransientException("Kingdee answered " + service + " with a body that is not JSON");
        }
    }

    private static JsonNode lostSession(String text) {
        ObjectNode status = JSON.createObjectNode();
        status.put("IsSuccess", false);
        status.put("MsgCode", KingdeeErrors.CONTEXT_LOST);
        status.putArray("Errors").addObject().put("Message", text.length() > 200 ? text.substring(0, 200) : text);
        ObjectNode answer = JSON.createObjectNode();
        answer.putObject("Result").set("ResponseStatus", status);
        return answer;
    }

    private static Optional<String> header(HttpResponse response, String name) {
        return response.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0))
                .findFirst();
    }

    private static byte[] write(JsonNode body) {
        try {
            return JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body cannot be written as JSON", e);
        }
    }
}
