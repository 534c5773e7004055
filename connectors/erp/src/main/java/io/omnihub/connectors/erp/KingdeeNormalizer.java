package io.omnihub.connectors.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.event.Order;
import io.omnihub.connector.source.RawRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns polled Kingdee rows into canonical events.
 *
 * <ul>
 *   <li>{@code BD_Customer} → {@code profile.updated} with an {@code erp_customer} identity (the
 *       customer number, namespaced by data center), the mobile in {@code FTEL} as a
 *       {@code phone} identity, and the name. Id
 *       {@code erp:<acct-id>:BD_Customer:<FCUSTID>:<FModifyDate>}: every saved version is one event,
 *       a re-poll of the same version the same event.</li>
 *   <li>{@code SAL_SaleOrder} → {@code order.cancelled} when voided ({@code FCancelStatus} B),
 *       {@code order.completed} when closed ({@code FCloseStatus} B), else {@code order.created}.
 *       Id {@code erp:<acct-id>:SAL_SaleOrder:<FID>:<created|completed|cancelled>:<FModifyDate>}
 *       ({@code FCreateDate} for an order never modified): every saved version is one event, so an
 *       edit of an open order (a new amount, another customer) reaches the CRM, which keeps the
 *       order's latest version; a re-poll of the same version is the same event. Drafts
 *       ({@code FDocumentStatus} Z, 暂存) give no event until they are saved.</li>
 * </ul>
 * Times are Kingdee server times, read as Asia/Shanghai. Amounts are decimals converted exactly to
 * minor units (half-up beyond the currency's digits).
 */
public final class KingdeeNormalizer implements Normalizer {

    /** Kingdee's preset currency numbers (BD_Currency); other numbers default to CNY. */
    static final Map<String, String> CURRENCIES = Map.of(
            "PRE001", "CNY", "PRE002", "HKD", "PRE003", "EUR", "PRE004", "JPY",
            "PRE005", "TWD", "PRE006", "GBP", "PRE007", "USD");
    static final String DEFAULT_CURRENCY = "CNY";

    /**
     * A mainland mobile (11 contiguous digits starting 13-19, optionally after +86) anywhere in the
     * text: FTEL often holds several numbers, e.g. {@code 0755-88886666/13912345678}.
     */
    private static final Pattern MOBILE = Pattern.compile("(?<!\\d)(?:\\+?86[-\\s]?)?(1[3-9]\\d{9})(?!\\d)");

    /** Kingdee's "B" in FCancelStatus (作废) and FCloseStatus (关闭). */
    private static final String YES = "B";
    /** FDocumentStatus of a draft (暂存). */
    private static final String DRAFT = "Z";

    private final String connectorId;
    private final String instanceId;
    private final KingdeeConfig config;

    public KingdeeNormalizer(String connectorId, String instanceId, KingdeeConfig config) {
        this.connectorId = connectorId;
        this.instanceId = instanceId;
        this.config = config;
    }

    @Override
    public List<CustomerEvent> normalize(RawRecord record) {
        String formId = record.attributes().get(KingdeePoller.FORM);
        if (formId == null) {
            throw new BadInputException("record '" + record.key() + "' names no Kingdee form (attribute 'form')");
        }
        KingdeeForm form = KingdeeForm.of(formId).orElseThrow(() ->
                new BadInputException("record '" + record.key() + "' is of form '" + formId + "', which this connector does not map"));
        // The record says which data center it came from; the config is the fallback for records written without.
        String acctId = record.attributes().getOrDefault(KingdeePoller.ACCT_ID, config.acctId());
        JsonNode row = parse(record);
        return switch (form) {
            case CUSTOMER -> List.of(customer(row, acctId, record));
            case SALES_ORDER -> DRAFT.equals(text(row, "FDocumentStatus").orElse(""))
                    // A draft (暂存) may still be deleted; it is announced once it is saved for real.
                    ? List.of()
                    : List.of(salesOrder(row, acctId, record));
        };
    }

    private CustomerEvent customer(JsonNode row, String acctId, RawRecord record) {
        String customerId = require(row, "FCUSTID", record);
        String number = require(row, "FNumber", record);
        LocalDateTime modified = time(row, "FModifyDate", record)
                .or(() -> time(row, "FCreateDate", record))
                .orElseThrow(() -> new BadInputException("customer " + number + " has neither FModifyDate nor FCreateDate"));
        String id = "erp:" + acctId + ":" + KingdeeForm.CUSTOMER.formId() + ":" + customerId + ":"
                + KingdeeDates.canonical(modified);
        CustomerEvent.Builder event = start(id, EventTypes.PROFILE_UPDATED, modified, record)
                .identity(Identity.of(IdentityTypes.ERP_CUSTOMER, number, acctId).withEvidence(Evidence.VERIFIED));
        Optional<String> tel = text(row, "FTEL");
        Optional<String> mobile = tel.flatMap(KingdeeNormalizer::mobile);
        // the customer record's phone, keyed in by the brand's staff
        mobile.ifPresent(m -> event.identity(Identity.phone(m).withEvidence(Evidence.NOTED)));
        return event
                .attribute("name", text(row, "FName").orElse(null))
                .attribute("shortName", text(row, "FShortName").orElse(null))
                .attribute("address", text(row, "FADDRESS").orElse(null))
                // A landline or an extension is worth showing, but identifies no one.
                .attribute("telephone", mobile.isEmpty() ? tel.orElse(null) : null)
                .extra("form", KingdeeForm.CUSTOMER.formId())
                .extra("customerId", customerId)
                .extra("number", number)
                .extra("documentStatus", text(row, "FDocumentStatus").orElse(null))
                .extra("forbidStatus", text(row, "FForbidStatus").orElse(null))
                .extra("useOrg", text(row, "FUseOrgId.FNumber").orElse(null))
                .build();
    }

    private CustomerEvent salesOrder(JsonNode row, String acctId, RawRecord record) {
        String orderId = require(row, "FID", record);
        String billNo = require(row, "FBillNo", record);
        String customer = text(row, "FCustId.FNumber").orElseThrow(() ->
                new BadInputException("sales order " + billNo + " has no customer (FCustId.FNumber)"));
        String state;
        String type;
        if (YES.equals(text(row, "FCancelStatus").orElse(""))) {
            state = "cancelled";
            type = EventTypes.ORDER_CANCELLED;
        } else if (YES.equals(text(row, "FCloseStatus").orElse(""))) {
            state = "completed";
            type = EventTypes.ORDER_COMPLETED;
        } else {
            state = "created";
            type = EventTypes.ORDER_CREATED;
        }
        Optional<LocalDateTime> modified = time(row, "FModifyDate", record);
        Optional<LocalDateTime> created = time(row, "FCreateDate", record);
        LocalDateTime version = modified.or(() -> created)
                .orElseThrow(() -> new BadInputException("sales order " + billNo + " has neither FModifyDate nor FCreateDate"));
        // A creation happened when the order was created; a close or void at its last change.
        LocalDateTime when = type.equals(EventTypes.ORDER_CREATED) ? created.orElse(version) : version;
        String erpCurrency = text(row, "FSettleCurrId.FNumber").orElse(config.currency());
        String currency = currency(erpCurrency);
        long total = minorUnits(amount(row, "FBillAllAmount", billNo), currency, billNo);
        String channelOrderField = record.attributes().get(KingdeePoller.ORDER_NUMBER_FIELD);
        // The state and the saved version: each save of the order is applied once, a re-poll of it is not.
        String id = "erp:" + acctId + ":" + KingdeeForm.SALES_ORDER.formId() + ":" + orderId + ":" + state + ":"
                + KingdeeDates.canonical(version);
        return start(id, type, when, record)
                .identity(Identity.of(IdentityTypes.ERP_CUSTOMER, customer, acctId).withEvidence(Evidence.VERIFIED))
                .order(new Order(billNo, text(row, "FDocumentStatus").orElse(null), currency, total,
                        lines(row.path(KingdeePoller.LINES), currency, billNo, record)))
                .extra("form", KingdeeForm.SALES_ORDER.formId())
                .extra("orderId", orderId)
                .extra("customerName", text(row, "FCustId.FName").orElse(null))
                .extra("orderDate", time(row, "FDate", record).map(t -> t.toLocalDate().toString()).orElse(null))
                .extra("closeStatus", text(row, "FCloseStatus").orElse(null))
                .extra("cancelStatus", text(row, "FCancelStatus").orElse(null))
                .extra("saleOrg", text(row, "FSaleOrgId.FNumber").orElse(null))
                .extra("erpCurrency", erpCurrency)
                .extra("channelOrderNumber", channelOrderField == null ? null : text(row, channelOrderField).orElse(null))
                .build();
    }

    /**
     * The order's lines as the poller read them ({@code FSaleOrderEntry}): sku = the material number,
     * name = the material name, quantity and unit price = {@code FQty} and {@code FTaxPrice} (with
     * tax, as {@code FBillAllAmount} is), category = the configured category field. A fractional
     * quantity (kilograms, metres) becomes quantity 1 at the line's {@code FAllAmount}; a negative one
     * (a return line) becomes positive with a negative price. Amounts in minor units of the order's
     * currency, exactly.
     */
    private List<Order.OrderLine> lines(JsonNode lines, String currency, String billNo, RawRecord record) {
        List<Order.OrderLine> result = new ArrayList<>();
        String categoryField = config.lineCategoryField().orElse(null);
        for (JsonNode line : lines) {
            BigDecimal quantity = optionalAmount(line, "FQty", billNo).orElse(BigDecimal.ONE).stripTrailingZeros();
            String sku = text(line, "FMaterialId.FNumber").orElse(null);
            String name = text(line, "FMaterialId.FName").orElse(null);
            String category = categoryField == null ? null : text(line, categoryField).orElse(null);
            if (quantity.scale() <= 0) {
                long units;
                try {
                    units = quantity.longValueExact();
                } catch (ArithmeticException e) {
                    throw new BadInputException("sales order " + billNo + " has a line quantity out of range");
                }
                long price = minorUnits(optionalAmount(line, "FTaxPrice", billNo).orElseThrow(() ->
                        new BadInputException("sales order " + billNo + " has a line without FTaxPrice")), currency, billNo);
                result.add(new Order.OrderLine(sku, name, Math.abs(units), units < 0 ? -price : price, category));
            } else {
                BigDecimal amount = optionalAmount(line, "FAllAmount", billNo).orElseGet(() ->
                        quantity.multiply(optionalAmount(line, "FTaxPrice", billNo).orElse(BigDecimal.ZERO)));
                result.add(new Order.OrderLine(sku, name, 1, minorUnits(amount, currency, billNo), category));
            }
        }
        return result;
    }

    private static Optional<BigDecimal> optionalAmount(JsonNode row, String field, String billNo) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() || value.asText("").isBlank() ? Optional.empty()
                : Optional.of(amount(row, field, billNo));
    }

    private CustomerEvent.Builder start(String id, String type, LocalDateTime when, RawRecord record) {
        return CustomerEvent.builder(id, type)
                .source(connectorId, instanceId)
                .time(when.atZone(CustomerEvent.CHINA).toOffsetDateTime())
                .receivedAt(record.receivedAt());
    }

    /** The first mainland mobile number in {@code tel}, as its 11 digits. */
    static Optional<String> mobile(String tel) {
        Matcher matcher = MOBILE.matcher(tel);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** Digits before the decimal point an amount may have (a long of minor units holds fewer). */
    static final int MAX_INTEGER_DIGITS = 20;
    /** Digits after the decimal point an amount may have; Kingdee keeps at most 10. */
    static final int MAX_FRACTION_DIGITS = 100;

    /** The ISO code for a Kingdee currency number: presets mapped, ISO codes kept, anything else CNY. */
    static String currency(String erpCurrency) {
        String mapped = CURRENCIES.get(erpCurrency.trim().toUpperCase(Locale.ROOT));
        if (mapped != null) {
            return mapped;
        }
        String code = erpCurrency.trim().toUpperCase(Locale.ROOT);
        if (code.matches("[A-Z]{3}")) {
            try {
                return Currency.getInstance(code).getCurrencyCode();
            } catch (IllegalArgumentException e) {
                return DEFAULT_CURRENCY;
            }
        }
        return DEFAULT_CURRENCY;
    }

    /** {@code amount} in minor units of {@code currency}: exact, half-up beyond its digits. */
    static long minorUnits(BigDecimal amount, String currency, String billNo) {
        int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        // Checked before any arithmetic: rounding 1e999999999 or 1e-999999999 would take gigabytes.
        if (amount.signum() != 0 && ((long) amount.precision() - amount.scale() > MAX_INTEGER_DIGITS
                || amount.scale() > MAX_FRACTION_DIGITS)) {
            throw new BadInputException("sales order " + billNo + " has an amount out of range");
        }
        try {
            return amount.movePointRight(digits).setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            throw new BadInputException("sales order " + billNo + " has an amount out of range");
        }
    }

    private static BigDecimal amount(JsonNode row, String field, String billNo) {
        JsonNode value = row.get(field);
        if (value == null || value.isNull()) {
            throw new BadInputException("sales order " + billNo + " has no " + field);
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        try {
            return new BigDecimal(value.asText().trim());
        } catch (NumberFormatException e) {
            // Not quoted: a field of the wrong kind may hold anything, personal data included.
            throw new BadInputException("sales order " + billNo + " has " + field + " that is not a number");
        }
    }

    private static JsonNode parse(RawRecord record) {
        try {
            JsonNode row = KingdeeApiClient.JSON.readTree(record.payload());
            if (row == null || !row.isObject()) {
                throw new BadInputException("record '" + record.key() + "' is not a JSON object of Kingdee fields");
            }
            return row;
        } catch (JsonProcessingException e) {
            throw new BadInputException("record '" + record.key() + "' is not JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
            // An exponent beyond what BigDecimal takes (1e2147483648), which Jackson lets through unchecked.
            throw new BadInputException("record '" + record.key() + "' is not JSON: a number is out of range");
        } catch (IOException e) {
            throw new BadInputException("record '" + record.key() + "' cannot be read: " + e.getMessage());
        }
    }

    private static String require(JsonNode row, String field, RawRecord record) {
        return text(row, field).orElseThrow(() ->
                new BadInputException("record '" + record.key() + "' has no " + field));
    }

    private static Optional<String> text(JsonNode row, String field) {
        JsonNode value = row.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return Optional.empty();
        }
        String text = value.isBigDecimal() ? plain(value.decimalValue()) : value.asText().trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /**
     * A decimal's digits without an exponent, unless that would take more than a few hundred
     * characters ({@code 1e999999999} would take a gigabyte): then as written with its exponent.
     */
    static String plain(BigDecimal value) {
        return Math.abs((long) value.scale()) > 300 ? value.toString() : value.toPlainString();
    }

    private static Optional<LocalDateTime> time(JsonNode row, String field, RawRecord record) {
        return text(row, field).map(value -> {
            try {
                return KingdeeDates.parse(value);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("record '" + record.key() + "' has " + field
                        + " that is not a date-time between years 1 and 9999");
            }
        });
    }
}
