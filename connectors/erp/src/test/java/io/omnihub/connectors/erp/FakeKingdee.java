package io.omnihub.connectors.erp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.omnihub.connector.http.ChannelHttpClient;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory K/3 Cloud that answers ValidateUser and ExecuteBillQuery the way the WebAPI does:
 * FilterString {@code FModifyDate>='...'}, ordered by modification time and id, StartRow and Limit
 * applied, rows as arrays in FieldKeys order. For poller properties that need many rows and
 * changes between polls; the exact wire format is covered against WireMock elsewhere.
 */
final class FakeKingdee implements ChannelHttpClient {

    private static final Pattern SINCE = Pattern.compile("FModifyDate>='([^']+)'");
    private static final String SESSION = "fake-session-7f3a";

    private final Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
    private final List<JsonNode> queries = new CopyOnWriteArrayList<>();

    /** Adds or replaces a customer, as a save in Kingdee would. */
    synchronized FakeKingdee customer(long id, String number, String name, String tel, String modified) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("FCUSTID", id);
        row.put("FNumber", number);
        row.put("FName", name);
        row.put("FTEL", tel);
        row.put("FModifyDate", modified);
        row.put("FDocumentStatus", "C");
        row.put("FUseOrgId.FNumber", "100");
        upsert("BD_Customer", "FCUSTID", row);
        return this;
    }

    /** Saves the customer again at {@code modified}. */
    synchronized FakeKingdee touchCustomer(long id, String modified) {
        tables.get("BD_Customer").stream().filter(r -> r.get("FCUSTID").equals(id)).forEach(r -> r.put("FModifyDate", modified));
        return this;
    }

    /** Every ExecuteBillQuery {@code data} received, oldest first. */
    List<JsonNode> queries() {
        return List.copyOf(queries);
    }

    private void upsert(String form, String idField, Map<String, Object> row) {
        List<Map<String, Object>> table = tables.computeIfAbsent(form, f -> new ArrayList<>());
        table.removeIf(r -> r.get(idField).equals(row.get(idField)));
        table.add(row);
    }

    @Override
    public synchronized HttpResponse send(HttpRequest request) {
        String path = request.uri().getPath();
        if (path.endsWith("AuthService.ValidateUser.common.kdsvc")) {
            return json("{\"LoginResultType\":1,\"KDSVCSessionId\":\"" + SESSION + "\"}",
                    Map.of("Set-Cookie", List.of("kdservice-sessionid=" + SESSION + "; path=/")));
        }
        if (!path.endsWith("DynamicFormService.ExecuteBillQuery.common.kdsvc")) {
            return new HttpResponse(404, Map.of(), new byte[0]);
        }
        List<String> cookie = request.headers().getOrDefault("Cookie", List.of());
        if (cookie.isEmpty() || !cookie.get(0).contains(SESSION)) {
            return json(KingdeeFixtures.text("api/session-lost-query.json"), Map.of());
        }
        JsonNode data = read(request.body()).path("data");
        queries.add(data);
        String form = data.path("FormId").asText();
        String idField = "BD_Customer".equals(form) ? "FCUSTID" : "FID";
        if (!data.path("OrderString").asText().equals("FModifyDate ASC," + idField + " ASC")) {
            throw new AssertionError("unexpected OrderString " + data.path("OrderString"));
        }
        Matcher since = SINCE.matcher(data.path("FilterString").asText());
        LocalDateTime from = since.find() ? KingdeeDates.parse(since.group(1)) : null;
        List<Map<String, Object>> matching = new ArrayList<>(tables.getOrDefault(form, List.of()).stream()
                .filter(r -> from == null || !KingdeeDates.parse((String) r.get("FModifyDate")).isBefore(from))
                .sorted(Comparator.<Map<String, Object>, LocalDateTime>comparing(r -> KingdeeDates.parse((String) r.get("FModifyDate")))
                        .thenComparing(r -> ((Number) r.get(idField)).longValue()))
                .toList());
        int start = data.path("StartRow").asInt();
        int limit = data.path("Limit").asInt();
        List<String> keys = List.of(data.path("FieldKeys").asText().split(","));
        ArrayNode answer = KingdeeApiClient.JSON.createArrayNode();
        matching.stream().skip(start).limit(limit).forEach(r -> {
            ArrayNode values = answer.addArray();
            keys.forEach(k -> values.add(KingdeeApiClient.JSON.valueToTree(r.get(k))));
        });
        return json(answer.toString(), Map.of());
    }

    private static HttpResponse json(String body, Map<String, List<String>> headers) {
        Map<String, List<String>> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", List.of("application/json; charset=utf-8"));
        return new HttpResponse(200, all, body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode read(byte[] body) {
        try {
            return KingdeeApiClient.JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
