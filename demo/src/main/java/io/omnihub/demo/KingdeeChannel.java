package io.omnihub.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The brand's ERP, Kingdee K/3 Cloud's WebAPI (PROTOCOLS §7.1) under {@code /kingdee/k3cloud}:
 * password login with a session cookie, ExecuteBillQuery over customers (BD_Customer) and sales
 * orders (SAL_SaleOrder) by modification time, the lines of sales orders by their FID
 * ({@code FSaleOrderEntry} keys), rows as arrays in FieldKeys order, and Save.
 */
final class KingdeeChannel {

    private static final String SERVICES = "/kingdee/k3cloud/Kingdee.BOS.WebApi.ServicesStub.";
    private static final DateTimeFormatter KINGDEE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
    private static final DateTimeFormatter FILTER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");
    private static final Pattern MODIFIED_FROM = Pattern.compile("FModifyDate>='([^']+)'");
    private static final Pattern ORDER_IDS = Pattern.compile("FID IN \\(([\\d,\\s]+)\\)");
    private static final String LINE_ID = "FSaleOrderEntry_FEntryID";
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /** A record of a form; a sales order's one line in {@code line}, otherwise an empty object. */
    private record Row(String formId, LocalDateTime modified, ObjectNode fields, ObjectNode line) {
    }

    private final List<Row> rows = new ArrayList<>();

    void install(WireMockServer server, Answers answers) {
        ObjectNode login = Recorded.json("kingdee/api/login-ok.json");
        String session = java.util.UUID.randomUUID().toString();
        login.put("KDSVCSessionId", session);
        ((ObjectNode) login.path("Context")).put("DBid", BrandAccounts.KINGDEE_ACCT);
        ((ObjectNode) login.path("Context")).put("UserName", BrandAccounts.KINGDEE_USER);
        server.stubFor(post(urlPathEqualTo(SERVICES + "AuthService.ValidateUser.common.kdsvc"))
                .willReturn(Answers.json(login.toString())
                        .withHeader("Set-Cookie", "kdservice-sessionid=" + session + "; path=/")
                        .withHeader("Set-Cookie", "ASP.NET_SessionId=demo" + session.substring(0, 8) + "; path=/; HttpOnly")));
        answers.register("kingdee-query", this::query);
        server.stubFor(post(urlPathEqualTo(SERVICES + "DynamicFormService.ExecuteBillQuery.common.kdsvc"))
                .willReturn(Answers.by("kingdee-query")));
        server.stubFor(post(urlPathEqualTo(SERVICES + "DynamicFormService.Save.common.kdsvc"))
                .willReturn(Answers.json(Recorded.text("kingdee/api/save-customer-ok.json"))));
    }

    private synchronized ResponseDefinitionBuilder query(Request request) {
        JsonNode data = Recorded.parse(request.getBodyAsString()).path("data");
        String formId = data.path("FormId").asText();
        String[] keys = data.path("FieldKeys").asText().split(",");
        int start = data.path("StartRow").asInt(0);
        int limit = data.path("Limit").asInt(2000);
        Matcher orderIds = ORDER_IDS.matcher(data.path("FilterString").asText());
        if (List.of(keys).contains(LINE_ID) && orderIds.find()) {
            // the lines of sales orders by FID, one a bill
            List<String> ids = Arrays.stream(orderIds.group(1).split(",")).map(String::strip).toList();
            return answer(rows.stream().filter(r -> r.formId().equals("SAL_SaleOrder") && ids.contains(r.fields().path("FID").asText()))
                    .sorted(Comparator.comparingLong(r -> r.fields().path("FID").asLong())), Row::line, keys, start, limit);
        }
        Matcher from = MODIFIED_FROM.matcher(data.path("FilterString").asText());
        LocalDateTime since = from.find() ? LocalDateTime.parse(from.group(1), FILTER_TIME) : LocalDateTime.MIN;
        return answer(rows.stream().filter(r -> r.formId().equals(formId) && !r.modified().isBefore(since))
                .sorted(Comparator.comparing(Row::modified)), Row::fields, keys, start, limit);
    }

    /** A page of {@code picked}, each row's {@code fields} as an array in FieldKeys order. */
    private static ResponseDefinitionBuilder answer(Stream<Row> picked, Function<Row, ObjectNode> fields, String[] keys, int start,
                                                    int limit) {
        ArrayNode answer = Recorded.JSON.createArrayNode();
        picked.skip(start).limit(limit).forEach(r -> {
            ArrayNode row = answer.addArray();
            for (String key : keys) {
                row.add(fields.apply(r).path(key.strip()));
            }
        });
        return Answers.json(answer.toString());
    }

    /** The person's customer record is created (or changed) in the ERP. */
    synchronized void customer(Person person, String company) {
        ObjectNode fields = Recorded.json("kingdee/records/customer-mobile.json");
        LocalDateTime now = now();
        fields.put("FCUSTID", person.erpId());
        fields.put("FNumber", person.erpNumber());
        fields.put("FName", company == null ? person.name() : company);
        fields.put("FShortName", company == null ? person.name() : company.substring(0, Math.min(4, company.length())));
        fields.put("FTEL", person.phone());
        fields.put("FADDRESS", "上海市徐汇区漕溪北路88号");
        fields.put("FCreateDate", KINGDEE_TIME.format(now));
        fields.put("FModifyDate", KINGDEE_TIME.format(now));
        rows.removeIf(r -> r.formId().equals("BD_Customer") && r.fields().path("FCUSTID").asLong() == person.erpId());
        rows.add(new Row("BD_Customer", now, fields, Recorded.JSON.createObjectNode()));
    }

    /**
     * A sales order for the person's customer record, of {@code quantity} of one item at
     * {@code unitFen} each (with tax); {@code closed} once it is delivered and settled.
     */
    synchronized void salesOrder(Person person, long id, String billNo, String sku, String item, int quantity, long unitFen,
                                 boolean closed) {
        long fen = unitFen * quantity;
        ObjectNode fields = Recorded.json("kingdee/records/order-created.json");
        LocalDateTime now = now();
        fields.put("FID", id);
        fields.put("FBillNo", billNo);
        fields.put("FDate", KINGDEE_TIME.format(now.toLocalDate().atStartOfDay()));
        fields.put("FCustId.FNumber", person.erpNumber());
        fields.put("FCustId.FName", person.name());
        fields.put("FBillAllAmount", BigDecimal.valueOf(fen, 2));
        fields.put("FCreateDate", KINGDEE_TIME.format(now));
        fields.put("FModifyDate", KINGDEE_TIME.format(now));
        fields.put("FCloseStatus", closed ? "B" : "A");
        fields.remove("F_OMNI_ChannelOrderNo");
        rows.removeIf(r -> r.formId().equals("SAL_SaleOrder") && r.fields().path("FID").asLong() == id);
        ObjectNode line = Recorded.JSON.createObjectNode();
        line.put("FID", id);
        line.put(LINE_ID, id * 10 + 1);
        line.put("FMaterialId.FNumber", sku);
        line.put("FMaterialId.FName", item);
        line.put("FQty", quantity);
        line.put("FTaxPrice", BigDecimal.valueOf(unitFen, 2));
        line.put("FAllAmount", BigDecimal.valueOf(fen, 2));
        rows.add(new Row("SAL_SaleOrder", now, fields, line));
    }

    private static LocalDateTime now() {
        LocalDateTime now = LocalDateTime.now(SHANGHAI);
        return now.withNano(now.getNano() / 1_000_000 * 1_000_000);
    }
}
