package io.omnihub.connectors.tmall;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shop's trades as {@code taobao.trades.sold.increment.get} serves them (PROTOCOLS §5): the
 * trades whose {@code modified} lies in {@code [start_modified, end_modified]} (both ends included),
 * newest-modified first (ties by tid, newest first), cut into pages of the store's page size; with
 * {@code use_has_next=true} a page says {@code has_next}, without it {@code total_results}.
 *
 * <p>WireMock answers from stubs, so the store registers one signed-request stub per answer it can
 * give (every run of consecutive trades a window can hold, every page of it, both forms), each
 * matching the requests whose window holds exactly those trades. Changing a trade
 * ({@link #modify}) replaces them all, so the next request sees the shop as it is now, as TOP's
 * would between two page reads.
 */
final class TopTradeStore {

    private static final Comparator<JsonNode> NEWEST_FIRST = Comparator
            .comparing((JsonNode trade) -> trade.path("modified").asText())
            .thenComparing(trade -> trade.path("tid").asText())
            .reversed();

    private final WireMock wireMock;
    private final TopGateway gateway;
    private final int pageSize;
    private final Map<String, ObjectNode> trades = new LinkedHashMap<>();
    private final List<StubMapping> stubs = new ArrayList<>();

    TopTradeStore(WireMock wireMock, TopGateway gateway, int pageSize) {
        this.wireMock = wireMock;
        this.gateway = gateway;
        this.pageSize = pageSize;
    }

    /** The trades of TOP answers ({@code api/trades-increment-*.json}), added to the shop. */
    TopTradeStore addFrom(String... answers) {
        for (String answer : answers) {
            TopApiClient.items(TmallFixtures.json(answer).path("trades_sold_increment_get_response").path("trades"), "trade")
                    .forEach(this::add);
        }
        return this;
    }

    /** Adds (or replaces, by tid) a trade. */
    TopTradeStore add(JsonNode trade) {
        trades.put(trade.path("tid").asText(), (ObjectNode) trade.deepCopy());
        restub();
        return this;
    }

    /** The trade {@code tid} is modified again at {@code modified} ({@code yyyy-MM-dd HH:mm:ss}, Beijing). */
    void modify(String tid, String modified) {
        ObjectNode trade = trades.get(tid);
        if (trade == null) {
            throw new IllegalArgumentException("no trade " + tid);
        }
        trade.put("modified", modified);
        restub();
    }

    /** Every trade, newest-modified first: TOP's order. */
    List<JsonNode> listing() {
        List<JsonNode> all = new ArrayList<>(trades.values());
        all.sort(NEWEST_FIRST);
        return all;
    }

    List<String> tids() {
        return listing().stream().map(trade -> trade.path("tid").asText()).toList();
    }

    private void restub() {
        stubs.forEach(wireMock::removeStubMapping);
        stubs.clear();
        List<JsonNode> all = listing();
        // Every run all[i..j) (the empty one included) and every page of it, up to one page past its end.
        for (int i = 0; i <= all.size(); i++) {
            for (int j = i; j <= all.size(); j++) {
                if (j == i && i > 0) {
                    continue;
                }
                List<JsonNode> held = List.copyOf(all.subList(i, j));
                int pages = (held.size() + pageSize - 1) / pageSize;
                for (int page = 1; page <= pages + 1; page++) {
                    stub(held, page, true);
                    stub(held, page, false);
                }
            }
        }
    }

    private void stub(List<JsonNode> held, int page, boolean useHasNext) {
        List<String> heldTids = held.stream().map(trade -> trade.path("tid").asText()).toList();
        MappingBuilder call = gateway.sessionCall(TopApiClient.TRADES_SOLD_INCREMENT_GET)
                .withFormParam("fields", equalTo(TopApiClient.TRADE_FIELDS))
                .withFormParam("page_no", equalTo(Integer.toString(page)))
                .withFormParam("page_size", equalTo(Integer.toString(pageSize)))
                .withFormParam("use_has_next", useHasNext ? equalTo("true") : absent())
                .andMatching(request -> {
                    Map<String, String> form = TopGateway.form(request);
                    return MatchResult.of(inWindow(form.get("start_modified"), form.get("end_modified")).equals(heldTids));
                });
        ObjectNode answer = TopApiClient.JSON.createObjectNode();
        ObjectNode response = answer.putObject("trades_sold_increment_get_response");
        if (useHasNext) {
            response.put("has_next", held.size() > page * pageSize);
        } else {
            response.put("total_results", held.size());
        }
        List<JsonNode> onPage = held.subList(Math.min(held.size(), (page - 1) * pageSize),
                Math.min(held.size(), page * pageSize));
        if (!onPage.isEmpty()) {
            ArrayNode list = response.putObject("trades").putArray("trade");
            onPage.forEach(list::add);
        }
        response.put("request_id", "store" + page);
        stubs.add(wireMock.register(call.willReturn(okJson(answer.toString()))));
    }

    /** The tids TOP lists for the window, in its order; the times compare as text in TOP's format. */
    private List<String> inWindow(String start, String end) {
        if (start == null || end == null) {
            return List.of("(no window)");
        }
        return listing().stream()
                .filter(trade -> {
                    String modified = trade.path("modified").asText();
                    return modified.compareTo(start) >= 0 && modified.compareTo(end) <= 0;
                })
                .map(trade -> trade.path("tid").asText())
                .toList();
    }
}
