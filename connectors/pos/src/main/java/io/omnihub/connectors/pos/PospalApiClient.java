package io.omnihub.connectors.pos;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import io.omnihub.connector.state.TokenCache;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Calls a Pospal (银豹) OpenAPI account through the hub's HTTP client, so every call gets the
 * instance's circuit breaker, retries and metrics.
 *
 * <p>Every call is a signed JSON POST: the body starts with {@code appId}, {@code data-signature}
 * is {@link PospalSigner#sign} over the exact body bytes and {@code time-stamp} the hub clock in
 * epoch milliseconds. Every call only reads, so each is marked {@link HttpRequest#asReadOnly()}
 * and the hub may repeat it. Pospal signs each request instead of issuing tokens, so there is no
 * token to cache or refresh: a refused signature is a configuration error.
 *
 * <p>Numbers are read exactly: uids beyond 2^53 keep every digit and yuan amounts stay decimals.
 */
public final class PospalApiClient {

    /** Tickets of a time window, page by page. */
    public static final String TICKET_PAGES_PATH = "/pospal-api2/openapi/v1/ticketOpenApi/queryTicketPages";
    /** One member by the {@code customerUid} a ticket names. */
    public static final String CUSTOMER_BY_UID_PATH = "/pospal-api2/openapi/v1/customerOpenApi/queryByUid";
    /** The format of Pospal's times, local to the account's zone. */
    public static final DateTimeFormatter POSPAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // Which of two "status"es or "customerUid"s counts must not be left to the parser.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);

    private final ConnectorContext ctx;
    private final PospalConfig config;

    public PospalApiClient(ConnectorContext ctx, PospalConfig config) {
        this.ctx = ctx;
        this.config = config;
    }

    /**
     * One page of {@code queryTicketPages} for tickets after {@code from} up to and including
     * {@code to} (Pospal's rule for {@code startTime}/{@code endTime}).
     *
     * @param postBack the {@code postBackParameter} of the previous page, exactly as Pospal sent it,
     *                 or {@code null} for the first page
     */
    public TicketPage queryTicketPage(Instant from, Instant to, JsonNode postBack) {
        ObjectNode body = body();
        body.put("startTime", POSPAL_TIME.format(from.atZone(config.common().timeZone())));
        body.put("endTime", POSPAL_TIME.format(to.atZone(config.common().timeZone())));
        if (postBack != null && !postBack.isNull() && !postBack.isMissingNode()) {
            body.set("postBackParameter", postBack);
        }
        JsonNode data = call(TICKET_PAGES_PATH, body);
        List<JsonNode> tickets = new ArrayList<>();
        data.path("result").forEach(tickets::add);
        JsonNode next = data.path("postBackParameter");
        return new TicketPage(tickets, data.path("pageSize").asInt(0),
                next.isObject() && !next.isEmpty() ? next : null);
    }

    /**
     * The member a ticket's {@code customerUid} names, from the hub's shared cache when looked up
     * within {@code customer-cache-ttl}, else from {@code customerOpenApi/queryByUid}.
     *
     * @return empty when Pospal knows no such member (deleted since the sale)
     */
    public Optional<PospalMember> member(String customerUid) {
        if (config.customerCacheTtl().isZero()) {
            return fetchMember(customerUid);
        }
        String cached = ctx.tokens().getOrFetch("member:" + customerUid, () -> new TokenCache.Token(
                fetchMember(customerUid).map(PospalMember::toJson).orElse(PospalMember.ABSENT),
                config.customerCacheTtl()));
        return PospalMember.fromJson(cached);
    }

    private Optional<PospalMember> fetchMember(String customerUid) {
        ObjectNode body = body();
        // Pospal's clients send the uid as a JSON number; it may exceed 2^53, so write its digits exactly.
        if (customerUid.matches("\\d{1,40}")) {
            body.put("customerUid", new BigInteger(customerUid));
        } else {
            body.put("customerUid", customerUid);
        }
        JsonNode data;
        try {
            data = call(CUSTOMER_BY_UID_PATH, body);
        } catch (PospalErrors.PospalRefusal refusal) {
            if (PospalErrors.isNotFound(refusal.getMessage())) {
                return Optional.empty();
            }
            throw refusal;
        }
        if (!data.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new PospalMember(text(data, "phone"), text(data, "number"), text(data, "name"),
                text(data, "email")));
    }

    /**
     * Sends a signed request and returns the envelope's {@code data} (a missing node when it has
     * none).
     *
     * @throws ConfigException when Pospal refuses the credentials for good
     * @throws RateLimitedException when a quota is reached
     * @throws TransientException when Pospal is unreachable, busy or answers 5xx or something not JSON
     * @throws PospalErrors.PospalRefusal when Pospal refuses the request itself
     */
    JsonNode call(String path, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body cannot be written as JSON", e);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json; charset=utf-8"));
        headers.put("User-Agent", List.of("openApi"));
        headers.put(PospalSigner.TIMESTAMP_HEADER, List.of(Long.toString(ctx.clock().millis())));
        headers.put(PospalSigner.SIGNATURE_HEADER, List.of(PospalSigner.sign(config.appKey(), bytes)));
        HttpRequest request = new HttpRequest("POST", URI.create(config.apiBaseUrl() + path), headers, bytes,
                HttpRequest.DEFAULT_TIMEOUT).asReadOnly();
        HttpResponse response = ctx.http().send(request);
        int status = response.status();
        if (status == 429) {
            throw new RateLimitedException("Pospal answered HTTP 429 on " + path, retryAfter(response));
        }
        if (status == 401 || status == 403) {
            throw new ConfigException("Pospal refused " + path + " with HTTP " + status
                    + "; check app-id, app-key and whether the hub's address is allowed for the account");
        }
        if (status == 404) {
            throw new ConfigException("Pospal answered HTTP 404 on " + path + "; check api-base-url: it must be "
                    + "the account's area host such as https://area20-win.pospal.cn:443");
        }
        if (!response.isSuccess()) {
            throw new TransientException("Pospal answered HTTP " + status + " on " + path);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException | NumberFormatException e) {
            // NumberFormatException: an exponent beyond what BigDecimal takes, which Jackson lets through unchecked.
            // Gateways answer 200 with HTML pages when Pospal is unreachable behind them.
            throw new TransientException("Pospal answered " + path + " with a body that is not JSON");
        }
        if (answer == null || !answer.isObject()) {
            throw new TransientException("Pospal answered " + path + " with something other than a JSON object");
        }
        String outcome = answer.path("status").asText("");
        if ("success".equalsIgnoreCase(outcome)) {
            return answer.path("data");
        }
        if ("error".equalsIgnoreCase(outcome)) {
            JsonNode code = answer.path("errorCode");
            throw PospalErrors.of(path, code.isValueNode() && !code.isNull() ? PospalErrors.cut(code.asText(), 64) : "",
                    PospalErrors.cut(messages(answer.path("messages")), PospalErrors.QUOTE_LIMIT), ctx.clock());
        }
        throw new TransientException("Pospal answered " + path + " with an unknown status '"
                + PospalErrors.cut(outcome, 64) + "'");
    }

    private ObjectNode body() {
        ObjectNode body = JSON.createObjectNode();
        body.put("appId", config.appId());
        return body;
    }

    private static String messages(JsonNode messages) {
        if (messages.isArray()) {
            StringJoiner joined = new StringJoiner("; ");
            messages.forEach(m -> joined.add(m.asText()));
            return joined.toString();
        }
        return messages.isMissingNode() || messages.isNull() ? "(no message)" : messages.asText();
    }

    private static Duration retryAfter(HttpResponse response) {
        for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
            if ("Retry-After".equalsIgnoreCase(header.getKey()) && !header.getValue().isEmpty()) {
                try {
                    long seconds = Long.parseLong(header.getValue().get(0).trim());
                    return Duration.ofSeconds(Math.max(seconds, 1));
                } catch (NumberFormatException e) {
                    return DEFAULT_RETRY_AFTER;
                }
            }
        }
        return DEFAULT_RETRY_AFTER;
    }

    /** A scalar field as text (numbers with every digit), or {@code null} when absent or blank. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.isBigDecimal() ? plain(value.decimalValue()) : value.asText();
        return text.isBlank() ? null : text.strip();
    }

    /**
     * A decimal's digits without an exponent, unless that would take more than a few hundred
     * characters ({@code 1e999999999} would take a gigabyte): then as written with its exponent.
     */
    static String plain(BigDecimal value) {
        return Math.abs((long) value.scale()) > 300 ? value.toString() : value.toPlainString();
    }

    /**
     * One page of tickets.
     *
     * @param tickets  the tickets, as Pospal sent them
     * @param pageSize the page size Pospal states
     * @param postBack the {@code postBackParameter} for the next page, or {@code null}
     */
    public record TicketPage(List<JsonNode> tickets, int pageSize, JsonNode postBack) {

        public TicketPage {
            tickets = List.copyOf(tickets);
        }

        /** Whether another page follows: a full page and a {@code postBackParameter} to ask for it. */
        public boolean hasNextPage() {
            return postBack != null && !tickets.isEmpty() && (pageSize <= 0 || tickets.size() >= pageSize);
        }
    }
}
