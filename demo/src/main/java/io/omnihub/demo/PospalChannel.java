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
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's POS cloud, Pospal's OpenAPI (PROTOCOLS §6) under {@code /pospal}: tickets by time
 * window ({@code startTime} exclusive, {@code endTime} inclusive, local times), and members by
 * {@code customerUid}. Every ticket of the day is kept; a page holds them all.
 */
final class PospalChannel {

    private static final DateTimeFormatter POSPAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final int PAGE_SIZE = 100;

    private record Ticket(LocalDateTime at, ObjectNode json) {
    }

    private final Cast cast;
    private final List<Ticket> tickets = new ArrayList<>();
    private final AtomicLong uids = new AtomicLong(1_747_704_615_000_100L);

    PospalChannel(Cast cast) {
        this.cast = cast;
    }

    void install(WireMockServer server, Answers answers) {
        answers.register("pospal-tickets", this::tickets);
        server.stubFor(post(urlPathEqualTo("/pospal/pospal-api2/openapi/v1/ticketOpenApi/queryTicketPages"))
                .willReturn(Answers.by("pospal-tickets")));
        answers.register("pospal-member", this::member);
        server.stubFor(post(urlPathEqualTo("/pospal/pospal-api2/openapi/v1/customerOpenApi/queryByUid"))
                .willReturn(Answers.by("pospal-member")));
    }

    private synchronized ResponseDefinitionBuilder tickets(Request request) {
        JsonNode query = Recorded.parse(request.getBodyAsString());
        LocalDateTime after = LocalDateTime.parse(query.path("startTime").asText(), POSPAL_TIME);
        LocalDateTime upTo = LocalDateTime.parse(query.path("endTime").asText(), POSPAL_TIME);
        ObjectNode answer = Recorded.json("pos/pospal/ticket-page-1.json");
        ObjectNode data = (ObjectNode) answer.path("data");
        ArrayNode result = data.putArray("result");
        tickets.stream().filter(t -> t.at().isAfter(after) && !t.at().isAfter(upTo)).limit(PAGE_SIZE)
                .forEach(t -> result.add(t.json()));
        data.put("pageSize", PAGE_SIZE);
        ((ObjectNode) data.path("postBackParameter")).put("parameterValue",
                result.isEmpty() ? "" : result.get(result.size() - 1).path("uid").asText());
        return Answers.json(answer.toString());
    }

    private ResponseDefinitionBuilder member(Request request) {
        String uid = Recorded.parse(request.getBodyAsString()).path("customerUid").asText();
        Person person = cast.byPosCustomerUid(uid).orElse(null);
        if (person == null) {
            return Answers.json("{\"status\":\"error\",\"messages\":[\"该会员不存在\"],\"errorCode\":1032}");
        }
        ObjectNode answer = Recorded.json("pos/pospal/member-zhang.json");
        ObjectNode member = (ObjectNode) answer.path("data");
        member.put("customerUid", new BigInteger(uid));
        member.put("number", person.memberCard());
        member.put("name", person.name());
        member.put("phone", person.phone());
        member.put("address", "上海市");
        member.remove("birthday");
        return Answers.json(answer.toString());
    }

    /** A sale at the till: the member's card (or none for a walk-in), the items and what was paid, in fen. */
    synchronized void sale(Person member, String sn, List<String> items, long fen) {
        ObjectNode template = (ObjectNode) Recorded.json("pos/pospal/ticket-page-1.json").path("data").path("result").get(0);
        LocalDateTime now = LocalDateTime.now(SHANGHAI).withNano(0);
        long uid = uids.incrementAndGet();
        template.put("uid", uid);
        template.put("sn", sn);
        template.put("datetime", POSPAL_TIME.format(now));
        BigDecimal total = BigDecimal.valueOf(fen, 2);
        template.put("totalAmount", total);
        template.put("totalProfit", total.multiply(BigDecimal.valueOf(3, 1)).setScale(2, RoundingMode.HALF_UP));
        if (member != null) {
            template.put("customerUid", new BigInteger(member.posCustomerUid()));
        } else {
            template.remove("customerUid");
        }
        ArrayNode lines = (ArrayNode) template.path("items");
        ObjectNode line = (ObjectNode) lines.get(0);
        lines.removeAll();
        BigDecimal each = total.divide(BigDecimal.valueOf(items.size()), 2, RoundingMode.DOWN);
        for (int i = 0; i < items.size(); i++) {
            ObjectNode item = line.deepCopy();
            BigDecimal amount = i == items.size() - 1 ? total.subtract(each.multiply(BigDecimal.valueOf(items.size() - 1))) : each;
            item.put("name", items.get(i));
            item.put("sellPrice", amount);
            item.put("customerPrice", amount);
            item.put("quantity", 1);
            item.put("totalAmount", amount);
            item.put("productBarcode", "69" + (10_000_000_000L + Math.abs(items.get(i).hashCode()) % 90_000_000_000L));
            item.put("isWeighing", 0);
            lines.add(item);
        }
        ArrayNode payments = template.putArray("payments");
        payments.addObject().put("code", "payCode_105").put("amount", total);
        tickets.add(new Ticket(now, template));
    }
}
