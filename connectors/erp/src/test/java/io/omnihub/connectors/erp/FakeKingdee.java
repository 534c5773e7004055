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
 * An in-memory K/3 Cloud that answers ValidateUser and ExecuteBillQuery the way the WebAPI does,
 * with SQL's semantics: FilterString
 * {@code (FModifyDate>='a' OR (FModifyDate IS NULL AND FCreateDate>='b'))} (either bound may be
 * {@code IS NOT NULL}), or the plain {@code FModifyDate>='a'} or nothing that earlier versions sent
 * ({@code >=} is never true of a {@code NULL}); ordered by modification time (a {@code NULL} first,
 * as SQL Server sorts it, or last, as Oracle does), creation time and id; StartRow and Limit applied;
 * rows as arrays in FieldKeys order. For poller properties that need many rows and changes between
 * polls; the exact wire format is covered against WireMock elsewhere.
 */
final class FakeKingdee implements ChannelHttpClient {

    private static final Pattern PLAIN = Pattern.compile("FModifyDate>='([^']+)'");
    private static final Pattern BOTH = Pattern.compile(
            "\\(FModifyDate(?:>='([^']+)'| IS NOT NULL) OR \\(FModifyDate IS NULL AND FCreateDate(?:>='([^']+)'| IS NOT NULL)\\)\\)");
    private static final String SESSION = "fake-session-7f3a";

    private final Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
    private final List<JsonNode> queries = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> lines = new ArrayList<>();
    private boolean nullsLast;

    /** Sorts a {@code NULL} modification time after the others, as Oracle does. */
    synchronized FakeKingdee nullsLast() {
        this.nullsLast = true;
        return this;
    }

    /** Adds or replaces a customer created when it was last modified, as a save in Kingdee would. */
    synchronized FakeKingdee customer(long id, String number, String name, String tel, String modified) {
        return customer(id, number, name, tel, modified, modified);
    }

    /** Adds or replaces a customer; {@code modified} {@code null} for one never modified since it was created. */
    synchronized FakeKingdee customer(long id, String number, String name, String tel, String created, String modified) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("FCUSTID", id);
        row.put("FNumber", number);
        row.put("FName", name);
        row.put("FTEL", tel);
        row.put("FCreateDate", created);
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

    /** Adds or replaces an open, audited sales order in CNY, as a save in Kingdee would. */
    synchronized FakeKingdee order(long id, String billNo, String customer, String amount, String created, String modified) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("FID", id);
        row.put("FBillNo", billNo);
        row.put("FDate", created.substring(0, 10) + "T00:00:00");
        row.put("FCustId.FNumber", customer);
        row.put("FBillAllAmount", new java.math.BigDecimal(amount));
        row.put("FSettleCurrId.FNumber", "PRE001");
        row.put("FCreateDate", created);
        row.put("FModifyDate", modified);
        row.put("FDocumentStatus", "C");
        row.put("FCloseStatus", "A");
        row.put("FCancelStatus", "A");
        row.put("FSaleOrgId.FNumber", "100");
        upsert("SAL_SaleOrder", "FID", row);
        return this;
    }

    /** Adds a line ({@code FSaleOrderEntry}) to sales order {@code orderId}, in CNY with tax. */
    synchronized FakeKingdee line(long orderId, long entryId, String material, String name, String qty, String taxPrice,
                                  String allAmount, String group) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("FID", orderId);
        row.put(KingdeeForm.LINE_ID, entryId);
        row.put("FMaterialId.FNumber", material);
        row.put("FMaterialId.FName", name);
        row.put("FQty", new java.math.BigDecimal(qty));
        row.put("FTaxPrice", new java.math.BigDecimal(taxPrice));
        row.put("FAllAmount", new java.math.BigDecimal(allAmount));
        row.put(KingdeeConfig.DEFAULT_LINE_CATEGORY_FIELD, group);
        lines.add(row);
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
        if (data.path("FieldKeys").asText().contains(KingdeeForm.LINE_ID)) {
            return lines(data);
        }
        String idField = "BD_Customer".equals(form) ? "FCUSTID" : "FID";
        String orderString = data.path("OrderString").asText();
        if (!orderString.equals("FModifyDate ASC,FCreateDate ASC," + idField + " ASC")
                && !orderString.equals("FModifyDate ASC," + idField + " ASC")) {
            throw new AssertionError("unexpected OrderString " + data.path("OrderString"));
        }
        Comparator<LocalDateTime> times = nullsLast
                ? Comparator.nullsLast(Comparator.naturalOrder()) : Comparator.nullsFirst(Comparator.naturalOrder());
        List<Map<String, Object>> matching = new ArrayList<>(tables.getOrDefault(form, List.of()).stream()
                .filter(where(data.path("FilterString").asText()))
                .sorted(Comparator.<Map<String, Object>, LocalDateTime>comparing(r -> time(r, "FModifyDate"), times)
                        .thenComparing(r -> orderString.contains("FCreateDate") ? time(r, "FCreateDate") : null, times)
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

    /** A lines query: {@code FID IN (...)}, ordered by order and entry id, StartRow and Limit applied. */
    private HttpResponse lines(JsonNode data) {
        Matcher in = Pattern.compile("FID IN \\(([0-9,]+)\\)").matcher(data.path("FilterString").asText());
        if (!in.matches() || !data.path("OrderString").asText().equals("FID ASC," + KingdeeForm.LINE_ID + " ASC")) {
            throw new AssertionError("unexpected lines query " + data);
        }
        List<Long> ids = java.util.Arrays.stream(in.group(1).split(",")).map(Long::parseLong).toList();
        List<String> keys = List.of(data.path("FieldKeys").asText().split(","));
        ArrayNode answer = KingdeeApiClient.JSON.createArrayNode();
        lines.stream().filter(r -> ids.contains(((Number) r.get("FID")).longValue()))
                .sorted(Comparator.<Map<String, Object>>comparingLong(r -> ((Number) r.get("FID")).longValue())
                        .thenComparingLong(r -> ((Number) r.get(KingdeeForm.LINE_ID)).longValue()))
                .skip(data.path("StartRow").asInt()).limit(data.path("Limit").asInt())
                .forEach(r -> {
                    ArrayNode values = answer.addArray();
                    keys.forEach(k -> values.add(KingdeeApiClient.JSON.valueToTree(r.get(k))));
                });
        return json(answer.toString(), Map.of());
    }

    /** The rows a FilterString selects, with SQL's NULL semantics. */
    private static java.util.function.Predicate<Map<String, Object>> where(String filter) {
        if (filter.isEmpty()) {
            return r -> true;
        }
        Matcher plain = PLAIN.matcher(filter);
        if (plain.matches()) {
            LocalDateTime from = KingdeeDates.parse(plain.group(1));
            return r -> time(r, "FModifyDate") != null && !time(r, "FModifyDate").isBefore(from);
        }
        Matcher both = BOTH.matcher(filter);
        if (!both.matches()) {
            throw new AssertionError("unexpected FilterString " + filter);
        }
        LocalDateTime modifiedFrom = both.group(1) == null ? null : KingdeeDates.parse(both.group(1));
        LocalDateTime createdFrom = both.group(2) == null ? null : KingdeeDates.parse(both.group(2));
        return r -> {
            LocalDateTime modified = time(r, "FModifyDate");
            LocalDateTime created = time(r, "FCreateDate");
            if (modified != null) {
                return modifiedFrom == null || !modified.isBefore(modifiedFrom);
            }
            return created != null && (createdFrom == null || !created.isBefore(createdFrom));
        };
    }

    private static LocalDateTime time(Map<String, Object> row, String field) {
        Object value = row.get(field);
        return value == null ? null : KingdeeDates.parse((String) value);
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
