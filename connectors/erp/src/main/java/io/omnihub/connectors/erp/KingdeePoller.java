package io.omnihub.connectors.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connectors.erp.KingdeeApiClient.BillQuery;
import io.omnihub.connectors.erp.KingdeeCheckpoint.Mark;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Pulls changed customers and sales orders by their modification time.
 *
 * <p>Each poll reads one page per configured form with {@code DynamicFormService.ExecuteBillQuery}:
 * {@code FilterString FModifyDate>='<since>'}, {@code OrderString FModifyDate ASC,<id> ASC} (the id
 * makes the order, and so the paging, stable), {@code StartRow 0} and {@code Limit} = page size plus
 * the ids already seen at {@code since}, which it skips. Rows arrive as arrays in FieldKeys order and
 * become one {@link RawRecord} each: a JSON object of field key to value.
 *
 * <p>The checkpoint ({@link KingdeeCheckpoint}) only moves forward, and polling from an older one
 * yields the same records again, which normalize to the same event ids. Customers are read before
 * orders so that a new customer's profile usually precedes its first order.
 *
 * <p>Thread-safe: keeps no state between polls.
 */
public final class KingdeePoller implements Poller {

    /** Record content type: a JSON object of FieldKey to value. */
    public static final String CONTENT_TYPE = "application/json";
    /** Record attribute: the Kingdee FormId. */
    public static final String FORM = "form";
    /** Record attribute: the data center the record comes from. */
    public static final String ACCT_ID = "acctId";
    /** Record attribute: the custom field holding the channel order number, for sales orders. */
    public static final String ORDER_NUMBER_FIELD = "orderNumberField";

    private final ConnectorContext ctx;
    private final KingdeeConfig config;
    private final KingdeeApiClient api;

    public KingdeePoller(ConnectorContext ctx, KingdeeConfig config, KingdeeApiClient api) {
        this.ctx = ctx;
        this.config = config;
        this.api = api;
    }

    @Override
    public PollResult poll(Optional<String> checkpoint) {
        KingdeeCheckpoint position = checkpoint.map(KingdeeCheckpoint::parse).orElse(KingdeeCheckpoint.EMPTY);
        List<RawRecord> records = new ArrayList<>();
        boolean hasMore = false;
        for (KingdeeForm form : config.pollForms()) {
            Mark mark = position.mark(form).orElseGet(() -> Mark.start(config.syncStart().orElse(null)));
            Page page = page(form, mark);
            records.addAll(page.records());
            position = position.with(form, page.next());
            hasMore |= page.full();
        }
        return new PollResult(records, position.toJson(), hasMore);
    }

    @Override
    public Duration interval() {
        return config.pollInterval();
    }

    /** One form's page: its new records, the mark after them, and whether more may follow. */
    private record Page(List<RawRecord> records, Mark next, boolean full) {
    }

    private Page page(KingdeeForm form, Mark mark) {
        List<String> keys = form.fieldKeys(config.orderNumberField());
        int idIndex = keys.indexOf(form.idField());
        int modifiedIndex = keys.indexOf(KingdeeForm.MODIFY_DATE);
        String filter = mark.since() == null ? ""
                : KingdeeForm.MODIFY_DATE + ">='" + KingdeeDates.filterLiteral(mark.since()) + "'";
        String order = KingdeeForm.MODIFY_DATE + " ASC," + form.idField() + " ASC";
        int limit = config.pageSize() + mark.seen().size();
        List<ArrayNode> rows = api.executeBillQuery(new BillQuery(form.formId(), keys, filter, order, 0, limit));

        Instant receivedAt = ctx.clock().instant();
        List<RawRecord> records = new ArrayList<>();
        LocalDateTime since = mark.since();
        TreeSet<String> seen = new TreeSet<>(mark.seen());
        for (ArrayNode row : rows) {
            String id = row.path(idIndex).asText("");
            if (id.isEmpty()) {
                throw new BadInputException("Kingdee answered a " + form.formId() + " row without " + form.idField());
            }
            LocalDateTime modified = modified(form, row.path(modifiedIndex), id);
            if (mark.since() != null) {
                // Rows before the watermark were emitted by an earlier page (the filter literal is
                // rounded to milliseconds); rows at it, if their id was seen.
                if (modified == null || modified.isBefore(mark.since())
                        || modified.equals(mark.since()) && mark.seen().contains(id)) {
                    continue;
                }
            }
            records.add(record(form, keys, row, id, receivedAt));
            if (modified == null) {
                continue;
            }
            if (since == null || modified.isAfter(since)) {
                since = modified;
                seen.clear();
            }
            if (modified.equals(since)) {
                seen.add(id);
            }
        }
        return new Page(records, new Mark(since, seen), rows.size() >= limit);
    }

    /** The row's modification time; {@code null} when Kingdee has none (never modified, first poll only). */
    private static LocalDateTime modified(KingdeeForm form, JsonNode value, String id) {
        if (value == null || value.isNull() || value.asText("").isBlank()) {
            return null;
        }
        try {
            return KingdeeDates.parse(value.asText());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("Kingdee answered " + form.formId() + " " + id + " with FModifyDate '"
                    + value.asText() + "', which is not a date-time");
        }
    }

    private RawRecord record(KingdeeForm form, List<String> keys, ArrayNode row, String id, Instant receivedAt) {
        ObjectNode payload = KingdeeApiClient.JSON.createObjectNode();
        for (int i = 0; i < keys.size(); i++) {
            payload.set(keys.get(i), row.get(i));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(FORM, form.formId());
        attributes.put(ACCT_ID, config.acctId());
        if (form == KingdeeForm.SALES_ORDER) {
            config.orderNumberField().ifPresent(field -> attributes.put(ORDER_NUMBER_FIELD, field));
        }
        try {
            byte[] bytes = KingdeeApiClient.JSON.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8);
            return new RawRecord(form.formId() + ":" + id, CONTENT_TYPE, bytes, attributes, receivedAt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
