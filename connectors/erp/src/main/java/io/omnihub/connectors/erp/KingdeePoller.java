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
import io.omnihub.connectors.erp.KingdeeCheckpoint.Track;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pulls changed customers and sales orders by their modification time.
 *
 * <p>Each poll reads one page per configured form with {@code DynamicFormService.ExecuteBillQuery}.
 * A form has two watermarks ({@link Track}): rows with an {@code FModifyDate} follow it, rows that
 * were never modified (Kingdee leaves {@code FModifyDate} empty) follow their {@code FCreateDate}.
 * One query reads both:
 * {@code FilterString (FModifyDate>='<from>' OR (FModifyDate IS NULL AND FCreateDate>='<from>'))}
 * (each {@code from} its track's), {@code OrderString FModifyDate ASC,FCreateDate ASC,<id> ASC}
 * (within each track, time then id: a stable order, so paging is too), {@code StartRow 0} and
 * {@code Limit} = page size plus the ids already seen, which it skips. Rows arrive as arrays in
 * FieldKeys order and become one {@link RawRecord} each: a JSON object of field key to value.
 *
 * <p>The database sorts the never-modified rows (a {@code NULL} {@code FModifyDate}) before the
 * others (SQL Server) or after them (Oracle); either way each track's rows come in its own time
 * order, so a page cut inside one track leaves the other track's mark where it was or, if that
 * track was read to its end, where its last row is.
 *
 * <p>Each query starts {@code sync-lag} before the newest time emitted, so a row saved with an
 * earlier time but committed after the watermark passed it is still read; the ids emitted since
 * then are skipped. The checkpoint ({@link KingdeeCheckpoint}) only moves forward, and polling from
 * an older one yields the same records again, which normalize to the same event ids. Customers are
 * read before orders so that a new customer's profile usually precedes its first order.
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
    /** Payload member of a sales-order record holding its lines, when {@code order-lines} is on. */
    public static final String LINES = "lines";
    /** Line rows asked for per lines query. */
    static final int LINE_PAGE = 2000;

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
            Map<Track, Mark> marks = new EnumMap<>(Track.class);
            for (Track track : Track.values()) {
                marks.put(track, position.mark(form, track).orElseGet(() -> Mark.start(config.syncStart().orElse(null))));
            }
            Page page = page(form, marks);
            records.addAll(page.records());
            for (Track track : Track.values()) {
                position = position.with(form, track, page.next().get(track));
            }
            hasMore |= page.full();
        }
        return new PollResult(records, position.toJson(), hasMore);
    }

    @Override
    public Duration interval() {
        return config.pollInterval();
    }

    /** One form's page: its new records, the marks after them, and whether more may follow. */
    private record Page(List<RawRecord> records, Map<Track, Mark> next, boolean full) {
    }

    private Page page(KingdeeForm form, Map<Track, Mark> marks) {
        List<String> keys = form.fieldKeys(config.orderNumberField());
        int idIndex = keys.indexOf(form.idField());
        int modifiedIndex = keys.indexOf(KingdeeForm.MODIFY_DATE);
        int createdIndex = keys.indexOf(KingdeeForm.CREATE_DATE);
        String order = KingdeeForm.MODIFY_DATE + " ASC," + KingdeeForm.CREATE_DATE + " ASC," + form.idField() + " ASC";
        int limit = config.pageSize() + marks.values().stream().mapToInt(Mark::seenCount).sum();
        List<ArrayNode> rows = api.executeBillQuery(new BillQuery(form.formId(), keys,
                filter(marks.get(Track.MODIFIED), marks.get(Track.CREATED)), order, 0, limit));

        Instant receivedAt = ctx.clock().instant();
        List<RawRecord> records = new ArrayList<>();
        Map<String, ArrayNode> picked = new LinkedHashMap<>();
        Map<Track, TreeMap<LocalDateTime, TreeSet<String>>> emitted = new EnumMap<>(Track.class);
        for (ArrayNode row : rows) {
            String id = row.path(idIndex).asText("");
            if (id.isEmpty()) {
                throw new BadInputException("Kingdee answered a " + form.formId() + " row without " + form.idField());
            }
            LocalDateTime modified = time(form, KingdeeForm.MODIFY_DATE, row.path(modifiedIndex), id);
            LocalDateTime time = modified != null ? modified : time(form, KingdeeForm.CREATE_DATE, row.path(createdIndex), id);
            if (time == null) {
                // The filter asks for a date in one of the two; without either there is no watermark to keep.
                ctx.logger().log(System.Logger.Level.WARNING, "Kingdee answered {0} {1} with neither {2} nor {3}; skipped",
                        form.formId(), id, KingdeeForm.MODIFY_DATE, KingdeeForm.CREATE_DATE);
                continue;
            }
            Track track = modified != null ? Track.MODIFIED : Track.CREATED;
            Mark mark = marks.get(track);
            // Rows before the start were emitted by an earlier page or are older than sync-lag (the
            // filter literal is truncated to milliseconds); rows after it, if their id was seen.
            if (mark.isBehind(time) || mark.saw(time, id)) {
                continue;
            }
            TreeSet<String> ids = emitted.computeIfAbsent(track, t -> new TreeMap<>()).computeIfAbsent(time, t -> new TreeSet<>());
            if (ids.add(id)) {
                picked.put(id, row);
            }
        }
        Map<String, ArrayNode> lines = form == KingdeeForm.SALES_ORDER && config.orderLines() && !picked.isEmpty()
                ? lines(picked.keySet()) : Map.of();
        picked.forEach((id, row) -> records.add(record(form, keys, row, id, lines.get(id), receivedAt)));
        Map<Track, Mark> next = new EnumMap<>(Track.class);
        for (Track track : Track.values()) {
            next.put(track, marks.get(track).after(emitted.getOrDefault(track, new TreeMap<>()), config.syncLag(), config.pageSize()));
        }
        return new Page(records, next, rows.size() >= limit);
    }

    /**
     * {@code (FModifyDate>='a' OR (FModifyDate IS NULL AND FCreateDate>='b'))}; a track without a
     * start asks for a non-empty date instead. A row with neither date is never read: it could not
     * be told apart from one already read, and it would not normalize.
     *
     * <p>The FilterString is a SQL condition on field keys that Kingdee translates to its tables;
     * {@code IS NULL}, {@code OR} and parentheses are assumed to pass through as in SQL, like the
     * {@code AND} and {@code >=} the connector uses elsewhere.
     */
    static String filter(Mark modified, Mark created) {
        String modifiedPart = modified.from() == null ? KingdeeForm.MODIFY_DATE + " IS NOT NULL"
                : KingdeeForm.MODIFY_DATE + ">='" + KingdeeDates.filterLiteral(modified.from()) + "'";
        String createdPart = KingdeeForm.MODIFY_DATE + " IS NULL AND " + (created.from() == null
                ? KingdeeForm.CREATE_DATE + " IS NOT NULL"
                : KingdeeForm.CREATE_DATE + ">='" + KingdeeDates.filterLiteral(created.from()) + "'");
        return "(" + modifiedPart + " OR (" + createdPart + "))";
    }

    /** The row's {@code field} date-time; {@code null} when Kingdee has none. */
    private static LocalDateTime time(KingdeeForm form, String field, JsonNode value, String id) {
        if (value == null || value.isNull() || value.asText("").isBlank()) {
            return null;
        }
        try {
            return KingdeeDates.parse(value.asText());
        } catch (IllegalArgumentException e) {
            // Not quoted: a field of the wrong kind may hold anything, personal data included.
            throw new BadInputException("Kingdee answered " + form.formId() + " " + KingdeeErrors.cut(id) + " with "
                    + field + " that is not a date-time between years 1 and 9999");
        }
    }

    /**
     * The lines of the sales orders {@code orderIds}: {@code ExecuteBillQuery} on {@code SAL_SaleOrder}
     * with {@link KingdeeForm#lineKeys the line FieldKeys}, {@code FilterString FID IN (...)},
     * ordered by order and entry id, {@value #LINE_PAGE} rows a query until a shorter answer. The
     * orders' ids come from Kingdee itself and are checked to be numbers before they go into the filter.
     *
     * @return per order id, its lines as objects of field key to value (without {@code FID})
     */
    private Map<String, ArrayNode> lines(java.util.Set<String> orderIds) {
        for (String id : orderIds) {
            if (!id.matches("\\d{1,19}")) {
                throw new BadInputException("Kingdee answered a SAL_SaleOrder FID '" + id + "' that is not a number");
            }
        }
        List<String> keys = KingdeeForm.lineKeys(config.lineCategoryField());
        String filter = "FID IN (" + String.join(",", orderIds) + ")";
        Map<String, ArrayNode> lines = new LinkedHashMap<>();
        for (int start = 0; ; start += LINE_PAGE) {
            List<ArrayNode> rows = api.executeBillQuery(new BillQuery(KingdeeForm.SALES_ORDER.formId(), keys, filter,
                    "FID ASC," + KingdeeForm.LINE_ID + " ASC", start, LINE_PAGE));
            for (ArrayNode row : rows) {
                ObjectNode line = KingdeeApiClient.JSON.createObjectNode();
                for (int i = 1; i < keys.size(); i++) {
                    line.set(keys.get(i), row.get(i));
                }
                lines.computeIfAbsent(row.path(0).asText(""), id -> KingdeeApiClient.JSON.createArrayNode()).add(line);
            }
            if (rows.size() < LINE_PAGE) {
                return lines;
            }
        }
    }

    private RawRecord record(KingdeeForm form, List<String> keys, ArrayNode row, String id, ArrayNode lines, Instant receivedAt) {
        ObjectNode payload = KingdeeApiClient.JSON.createObjectNode();
        for (int i = 0; i < keys.size(); i++) {
            payload.set(keys.get(i), row.get(i));
        }
        if (form == KingdeeForm.SALES_ORDER && config.orderLines()) {
            // Present even when empty: the record says its lines were read, and there were none.
            payload.set(LINES, lines == null ? KingdeeApiClient.JSON.createArrayNode() : lines);
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
