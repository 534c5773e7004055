package io.omnihub.connectors.pos;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.Coupon;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.event.Order;
import io.omnihub.connector.source.RawRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a CSV ticket record (one row, or the rows of one ticket) into a {@code store.purchased}
 * event with the configured column mapping.
 *
 * <p>Every problem is a {@link BadInputException} that names the file and the row, e.g.
 * {@code sales-0520.csv row 7: 金额 'abc' is not an amount}: the hub parks just that ticket on the
 * dead-letter queue. Personal data in messages is masked. A row with neither phone nor card is an
 * anonymous sale and gives no event.
 *
 * <p>The ticket's own fields (store, time, phone, card, total) come from its first row; later rows
 * of the same ticket may leave them empty or repeat them, but must not contradict them.
 */
public final class CsvTicketNormalizer implements Normalizer {

    /** The ticket fields that later rows of a multi-row ticket must not contradict. */
    private static final List<CsvField> TICKET_FIELDS = List.of(CsvField.TIME, CsvField.MEMBER_PHONE,
            CsvField.MEMBER_CARD, CsvField.TOTAL);

    private final ConnectorContext ctx;
    private final CsvFolderConfig config;
    private final DateTimeFormatter timeFormat;

    public CsvTicketNormalizer(ConnectorContext ctx, CsvFolderConfig config) {
        this.ctx = ctx;
        this.config = config;
        this.timeFormat = config.timeFormatter();
    }

    @Override
    public List<CustomerEvent> normalize(RawRecord record) {
        JsonNode payload = parse(record);
        String file = payload.path("file").asText(record.attributes().getOrDefault("file", record.key()));
        List<String> names = new ArrayList<>();
        payload.path("header").forEach(n -> names.add(n.asText()));
        CsvHeader header;
        try {
            header = CsvHeader.resolve(names, config);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + ": " + e.getMessage());
        }
        List<Row> rows = new ArrayList<>();
        for (JsonNode row : payload.path("rows")) {
            rows.add(row(file, header, row));
        }
        if (rows.isEmpty()) {
            throw new BadInputException(file + ": record '" + record.key() + "' holds no row");
        }
        Row first = rows.get(0);
        for (Row later : rows.subList(1, rows.size())) {
            for (CsvField field : TICKET_FIELDS) {
                String value = later.get(field);
                if (!value.isEmpty() && !value.equals(first.get(field))) {
                    throw new BadInputException(later.where + " disagrees with row " + first.number + " of ticket "
                            + first.get(CsvField.TICKET_SN) + " on " + header.nameOf(field));
                }
            }
        }

        String sn = first.get(CsvField.TICKET_SN);
        if (sn.isEmpty()) {
            throw new BadInputException(first.where + ": " + header.nameOf(CsvField.TICKET_SN) + " is empty");
        }
        String storeId = first.get(CsvField.STORE_ID);
        if (storeId.isEmpty()) {
            storeId = config.common().storeId().orElseThrow(() -> new BadInputException(first.where + ": "
                    + header.nameOf(CsvField.STORE_ID) + " is empty and no store-id is configured as fallback"));
        }
        OffsetDateTime time = time(first, header);
        BigDecimal total = amount(first, header, CsvField.TOTAL, true);
        List<Identity> identities = identities(first, header);
        List<Order.OrderLine> lines = lines(rows, header, total);
        if (identities.isEmpty()) {
            return List.of();
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("file", file);
        extra.put("row", first.number);
        SalesTicket sale = new SalesTicket(storeId, sn, time, Fen.of(total), null, lines, identities, Map.of(), extra,
                coupons(rows, header, storeId, sn));
        return sale.toEvents(ctx.connectorId(), ctx.instanceId(), config.common().brand(), record.receivedAt());
    }

    private static JsonNode parse(RawRecord record) {
        try {
            JsonNode payload = PospalApiClient.JSON.readTree(record.payload());
            if (payload != null && payload.isObject() && payload.path("rows").isArray() && payload.path("header").isArray()) {
                return payload;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new BadInputException("CSV record '" + record.key() + "' is not a ticket record of the POS csv-folder source");
    }

    private static Row row(String file, CsvHeader header, JsonNode node) {
        int number = node.path("row").asInt();
        String where = file + " row " + number;
        if (node.path("problem").isTextual()) {
            throw new BadInputException(where + " is not valid CSV: " + node.path("problem").asText());
        }
        List<String> cells = new ArrayList<>();
        node.path("cells").forEach(c -> cells.add(clean(c.asText())));
        int columns = header.names().size();
        boolean extraBlank = cells.subList(Math.min(columns, cells.size()), cells.size()).stream().allMatch(String::isEmpty);
        if (cells.size() < columns || !extraBlank) {
            throw new BadInputException(where + " has " + cells.size() + " fields but the header has " + columns);
        }
        Map<CsvField, String> values = new EnumMap<>(CsvField.class);
        header.columns().forEach((field, index) -> values.put(field, cells.get(index)));
        return new Row(number, where, values);
    }

    private OffsetDateTime time(Row row, CsvHeader header) {
        String text = row.get(CsvField.TIME);
        String name = header.nameOf(CsvField.TIME);
        if (text.isEmpty()) {
            throw new BadInputException(row.where + ": " + name + " is empty");
        }
        try {
            TemporalAccessor parsed = timeFormat.parseBest(text, ZonedDateTime::from, LocalDateTime::from, LocalDate::from);
            if (parsed instanceof ZonedDateTime zoned) {
                return zoned.toOffsetDateTime();
            }
            LocalDateTime local = parsed instanceof LocalDate date ? date.atStartOfDay() : (LocalDateTime) parsed;
            return local.atZone(config.common().timeZone()).toOffsetDateTime();
        } catch (DateTimeParseException e) {
            // Cells are not quoted: a column of the wrong kind may hold anything, personal data included.
            throw new BadInputException(row.where + ": " + name + " does not match time-format '"
                    + config.timeFormat() + "'");
        }
    }

    private static BigDecimal amount(Row row, CsvHeader header, CsvField field, boolean required) {
        String text = row.get(field);
        if (text.isEmpty()) {
            if (required) {
                throw new BadInputException(row.where + ": " + header.nameOf(field) + " is empty");
            }
            return null;
        }
        try {
            BigDecimal yuan = Fen.parseYuan(text);
            Fen.of(yuan);
            return yuan;
        } catch (IllegalArgumentException e) {
            throw new BadInputException(row.where + ": " + header.nameOf(field) + " is not an amount in yuan");
        }
    }

    private List<Identity> identities(Row row, CsvHeader header) {
        List<Identity> identities = new ArrayList<>();
        String phone = row.get(CsvField.MEMBER_PHONE);
        if (!phone.isEmpty()) {
            try {
                // typed in by the clerk at the till: maybe the customer's, maybe a family member's or the store's own
                identities.add(Identity.phone(phone).withEvidence(Evidence.NOTED));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(row.where + ": " + header.nameOf(CsvField.MEMBER_PHONE) + " '" + mask(phone)
                        + "' is not a phone number");
            }
        }
        String card = row.get(CsvField.MEMBER_CARD);
        if (!card.isEmpty()) {
            if (card.length() > 256) {
                throw new BadInputException(row.where + ": " + header.nameOf(CsvField.MEMBER_CARD) + " is longer than 256 characters");
            }
            identities.add(Identity.of(IdentityTypes.MEMBER_CARD, card, config.common().brand()).withEvidence(Evidence.VERIFIED));
        }
        return identities;
    }

    /** The coupons the ticket's rows name, each code once, with the batch and value of the row that first names it. */
    private static List<Coupon> coupons(List<Row> rows, CsvHeader header, String storeId, String sn) {
        Map<String, Coupon> coupons = new LinkedHashMap<>();
        for (Row row : rows) {
            String code = row.get(CsvField.COUPON_CODE);
            if (code.isEmpty() || coupons.containsKey(code)) {
                continue;
            }
            if (code.length() > 256) {
                throw new BadInputException(row.where + ": " + header.nameOf(CsvField.COUPON_CODE) + " is longer than 256 characters");
            }
            BigDecimal value = amount(row, header, CsvField.COUPON_VALUE, false);
            String batch = row.get(CsvField.COUPON_BATCH);
            coupons.put(code, SalesTicket.redeemed(storeId, sn, code, batch.isEmpty() ? null : batch,
                    value == null ? null : Fen.of(value)));
        }
        return List.copyOf(coupons.values());
    }

    private static List<Order.OrderLine> lines(List<Row> rows, CsvHeader header, BigDecimal total) {
        List<Order.OrderLine> lines = new ArrayList<>();
        for (Row row : rows) {
            String sku = row.get(CsvField.SKU);
            String name = row.get(CsvField.NAME);
            String quantityText = row.get(CsvField.QUANTITY);
            BigDecimal price = amount(row, header, CsvField.PRICE, false);
            if (sku.isEmpty() && name.isEmpty() && quantityText.isEmpty() && price == null) {
                continue;
            }
            BigDecimal quantity = BigDecimal.ONE;
            if (!quantityText.isEmpty()) {
                try {
                    quantity = Fen.bounded(new BigDecimal(quantityText.replace(",", "")));
                } catch (IllegalArgumentException e) {
                    // NumberFormatException included
                    throw new BadInputException(row.where + ": " + header.nameOf(CsvField.QUANTITY)
                            + " is not a number a till would write");
                }
            }
            BigDecimal lineAmount = null;
            if (price == null) {
                // A one-row ticket without a unit price: its line is the whole ticket.
                if (rows.size() > 1 || quantity.signum() == 0) {
                    throw new BadInputException(row.where + ": " + header.nameOf(CsvField.PRICE) + " is empty");
                }
                lineAmount = total;
                price = total.divide(quantity, 2, RoundingMode.HALF_UP);
            }
            try {
                String category = row.get(CsvField.CATEGORY);
                lines.add(SalesTicket.line(sku.isEmpty() ? null : sku, name.isEmpty() ? null : name, quantity, price,
                        lineAmount, category.isEmpty() ? null : category));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(row.where + ": " + e.getMessage());
            }
        }
        return lines;
    }

    /**
     * A cell as a till meant it: without surrounding blanks, and without the {@code ="..."} or
     * leading tab that exports add to keep spreadsheets from mangling long numbers.
     */
    static String clean(String cell) {
        String text = cell.strip();
        if (text.length() >= 3 && text.startsWith("=\"") && text.endsWith("\"")) {
            text = text.substring(2, text.length() - 1).strip();
        }
        return text;
    }

    /** {@code 139****5678}-style masking for messages that reach operators. */
    static String mask(String value) {
        if (value.length() <= 4) {
            return "****";
        }
        if (value.length() > 20) {
            // No phone number is this long: a message need not show how long it is.
            return value.substring(0, 3) + "****";
        }
        return value.substring(0, 3) + "*".repeat(value.length() - 5) + value.substring(value.length() - 2);
    }

    /** One data row: its number, where it is for messages, and the mapped cells (empty when absent). */
    private record Row(int number, String where, Map<CsvField, String> values) {
        String get(CsvField field) {
            return Optional.ofNullable(values.get(field)).orElse("");
        }
    }
}
