package io.omnihub.connectors.erp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connectors.erp.KingdeeApiClient.BillQuery;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes CRM data into Kingdee with {@code DynamicFormService.Save}.
 *
 * <ul>
 *   <li>{@value #CUSTOMER_SAVE}: saves a {@code BD_Customer}. Payload {@code name} (required),
 *       {@code phone}, {@code number}, {@code org}. The customer number is {@code number}, else an
 *       {@code erp_customer} recipient, else {@code OMNI-} and 12 hex digits of SHA-256 of the action
 *       id. An existing customer with that number (in that organisation) is updated (name, phone);
 *       otherwise one is created ({@code FCUSTID "0"}). A repeated action thus finds the customer its
 *       first attempt created instead of creating a second one. Answers the customer number.</li>
 *   <li>{@value #SALES_ORDER_SAVE}: saves a {@code SAL_SaleOrder}. Payload {@code channelOrderNumber}
 *       (required), {@code customerNumber} (else an {@code erp_customer} recipient), {@code date},
 *       {@code org}, {@code note}, {@code lines}: {@code [{material, qty, price, unit}]} (also
 *       {@code sku}, {@code quantity}, {@code unitPriceMinor} as in canonical order lines). With
 *       {@code order-number-field} configured the channel order number goes into that field and an
 *       order already carrying it is answered instead of saved again. Answers the bill number.</li>
 * </ul>
 * Kingdee has no idempotency key of its own; the look-up before the save is the guard. It is not
 * atomic, but the hub sends one action at a time per action id.
 */
public final class KingdeeActionSender implements ActionSender {

    public static final String CUSTOMER_SAVE = "erp.customer.save";
    public static final String SALES_ORDER_SAVE = "erp.sales-order.save";

    /** Prefix of customer numbers derived from the action id. */
    static final String DERIVED_NUMBER_PREFIX = "OMNI-";

    private final ConnectorContext ctx;
    private final KingdeeConfig config;
    private final KingdeeApiClient api;

    public KingdeeActionSender(ConnectorContext ctx, KingdeeConfig config, KingdeeApiClient api) {
        this.ctx = ctx;
        this.config = config;
        this.api = api;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(CUSTOMER_SAVE, SALES_ORDER_SAVE);
    }

    @Override
    public ActionResult send(OutboundAction action) {
        return switch (action.kind()) {
            case CUSTOMER_SAVE -> saveCustomer(action);
            case SALES_ORDER_SAVE -> saveSalesOrder(action);
            default -> throw new BadInputException("the Kingdee connector cannot send actions of kind '" + action.kind() + "'");
        };
    }

    private ActionResult saveCustomer(OutboundAction action) {
        Map<String, Object> payload = action.payload();
        String name = requireText(payload, "name", action);
        Optional<String> phone = text(payload, "phone")
                .or(() -> recipient(action, IdentityTypes.PHONE).map(Identity::value))
                .map(KingdeeActionSender::nationalPhone);
        String number = text(payload, "number")
                .or(() -> recipient(action, IdentityTypes.ERP_CUSTOMER).map(Identity::value))
                .orElseGet(() -> derivedNumber(action.id()));
        String org = org(payload, action);

        List<String> keys = List.of("FCUSTID", "FNumber");
        List<ArrayNode> existing = api.executeBillQuery(new BillQuery(KingdeeForm.CUSTOMER.formId(), keys,
                "FNumber='" + quote(number) + "' AND FUseOrgId.FNumber='" + quote(org) + "'", "FCUSTID ASC", 0, 1));
        boolean update = !existing.isEmpty();

        ObjectNode data = KingdeeApiClient.JSON.createObjectNode();
        ArrayNode updateFields = data.putArray("NeedUpDateFields");
        data.putArray("NeedReturnFields").add("FNumber");
        data.put("IsDeleteEntry", "true");
        ObjectNode model = data.putObject("Model");
        if (update) {
            // Only name and phone come from the CRM; everything else stays as the ERP has it.
            model.set("FCUSTID", existing.get(0).get(0));
            updateFields.add("FName");
            phone.ifPresent(p -> updateFields.add("FTEL"));
        } else {
            model.put("FCUSTID", "0");
            model.putObject("FCreateOrgId").put("FNumber", org);
            model.putObject("FUseOrgId").put("FNumber", org);
            config.customerGroup().ifPresent(group -> model.putObject("FGroup").put("FNumber", group));
            model.putObject("FTRADINGCURRID").put("FNumber", config.currency());
        }
        model.put("FNumber", number);
        model.put("FName", name);
        phone.ifPresent(p -> model.put("FTEL", p));

        JsonNode result = api.save(KingdeeForm.CUSTOMER.formId(), data);
        String saved = savedNumber(result).orElse(number);
        return new ActionResult(saved, update ? "customer " + saved + " updated" : "customer " + saved + " created");
    }

    private ActionResult saveSalesOrder(OutboundAction action) {
        Map<String, Object> payload = action.payload();
        String channelOrderNumber = requireText(payload, "channelOrderNumber", action);
        String customer = text(payload, "customerNumber")
                .or(() -> recipient(action, IdentityTypes.ERP_CUSTOMER).map(Identity::value))
                .orElseThrow(() -> new BadInputException(action.kind() + " needs 'customerNumber' or an erp_customer recipient"));
        String org = org(payload, action);
        LocalDate date = date(payload, action);
        List<ObjectNode> lines = lines(payload, action, date);

        Optional<String> field = config.orderNumberField();
        if (field.isPresent()) {
            List<ArrayNode> existing = api.executeBillQuery(new BillQuery(KingdeeForm.SALES_ORDER.formId(),
                    List.of("FID", "FBillNo"), field.get() + "='" + quote(channelOrderNumber) + "'", "FID ASC", 0, 1));
            if (!existing.isEmpty()) {
                String billNo = existing.get(0).get(1).asText();
                return new ActionResult(billNo, "sales order " + billNo + " already holds channel order " + channelOrderNumber);
            }
        }

        ObjectNode data = KingdeeApiClient.JSON.createObjectNode();
        data.putArray("NeedUpDateFields");
        data.putArray("NeedReturnFields").add("FBillNo");
        data.put("IsDeleteEntry", "true");
        ObjectNode model = data.putObject("Model");
        model.put("FID", "0");
        model.putObject("FBillTypeID").put("FNumber", config.billType());
        model.put("FDate", date.toString());
        model.putObject("FSaleOrgId").put("FNumber", org);
        model.putObject("FCustId").put("FNumber", customer);
        config.saler().ifPresent(saler -> model.putObject("FSalerId").put("FNumber", saler));
        model.put("FNote", text(payload, "note").orElse("OmniHub " + channelOrderNumber));
        field.ifPresent(f -> model.put(f, channelOrderNumber));
        ObjectNode finance = model.putObject("FSaleOrderFinance");
        finance.putObject("FSettleCurrId").put("FNumber", config.currency());
        // Channel prices include VAT, so they go in as tax-inclusive prices (FTaxPrice).
        finance.put("FIsIncludedTax", true);
        ArrayNode entries = model.putArray("FSaleOrderEntry");
        lines.forEach(entries::add);

        JsonNode result = api.save(KingdeeForm.SALES_ORDER.formId(), data);
        String billNo = savedNumber(result).orElse(null);
        return new ActionResult(billNo, "sales order " + (billNo == null ? "" : billNo + " ") + "saved for channel order "
                + channelOrderNumber);
    }

    private List<ObjectNode> lines(Map<String, Object> payload, OutboundAction action, LocalDate date) {
        Object raw = payload.get("lines");
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw new BadInputException(action.kind() + " needs 'lines': a non-empty list of {material, qty, price}");
        }
        List<ObjectNode> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> line)) {
                throw new BadInputException(action.kind() + " line " + (i + 1) + " is not an object");
            }
            String where = action.kind() + " line " + (i + 1);
            String material = text(line, "material").or(() -> text(line, "sku")).or(config::defaultMaterial)
                    .orElseThrow(() -> new BadInputException(where + " names no 'material' and no default-material is configured"));
            BigDecimal qty = decimal(line, "qty", where).or(() -> decimal(line, "quantity", where))
                    .orElseThrow(() -> new BadInputException(where + " needs 'qty'"));
            if (qty.signum() <= 0) {
                throw new BadInputException(where + " has a 'qty' that is not positive; it must be");
            }
            BigDecimal price = decimal(line, "price", where)
                    .or(() -> decimal(line, "unitPriceMinor", where).map(minor -> minor.movePointLeft(2)))
                    .orElseThrow(() -> new BadInputException(where + " needs 'price' (yuan) or 'unitPriceMinor' (fen)"));
            if (price.signum() < 0) {
                throw new BadInputException(where + " has a negative price");
            }
            ObjectNode entry = KingdeeApiClient.JSON.createObjectNode();
            entry.putObject("FMaterialId").put("FNumber", material);
            text(line, "unit").ifPresent(unit -> entry.putObject("FUnitID").put("FNumber", unit));
            entry.put("FQty", qty);
            entry.put("FTaxPrice", price);
            entry.put("FDeliveryDate", date.toString());
            entries.add(entry);
        }
        return entries;
    }

    private String org(Map<String, Object> payload, OutboundAction action) {
        return text(payload, "org").or(config::saleOrg).orElseThrow(() -> new BadInputException(action.kind()
                + " needs 'org' in its payload, or 'sale-org' in the instance configuration"));
    }

    private LocalDate date(Map<String, Object> payload, OutboundAction action) {
        Optional<String> raw = text(payload, "date");
        if (raw.isEmpty()) {
            return ctx.clock().instant().atZone(CustomerEvent.CHINA).toLocalDate();
        }
        String text = raw.get();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text);
            }
            return OffsetDateTime.parse(text).atZoneSameInstant(CustomerEvent.CHINA).toLocalDate();
        } catch (DateTimeParseException e) {
            throw new BadInputException(action.kind() + " has 'date' " + text + "; use 2024-05-20 or an ISO date-time with offset");
        }
    }

    /** The recipient if it is of {@code type} and, for erp_customer, of this data center. */
    private Optional<Identity> recipient(OutboundAction action, String type) {
        Identity recipient = action.recipient();
        if (recipient == null || !type.equals(recipient.type())) {
            return Optional.empty();
        }
        if (IdentityTypes.ERP_CUSTOMER.equals(type) && recipient.namespace() != null
                && !recipient.namespace().equals(config.acctId())) {
            throw new BadInputException(action.kind() + " recipient is a customer of data center " + recipient.namespace()
                    + ", not of this instance's " + config.acctId());
        }
        return Optional.of(recipient);
    }

    private static Optional<String> savedNumber(JsonNode result) {
        String number = result.path("Number").asText("");
        if (number.isEmpty()) {
            number = result.path("ResponseStatus").path("SuccessEntitys").path(0).path("Number").asText("");
        }
        return number.isEmpty() ? Optional.empty() : Optional.of(number);
    }

    /** A customer number that is the same for every attempt of one action. */
    static String derivedNumber(String actionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(actionId.getBytes(StandardCharsets.UTF_8));
            return DERIVED_NUMBER_PREFIX + HexFormat.of().withUpperCase().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** ERP users write mainland mobiles without the country code: {@code +8613912345678} → {@code 13912345678}. */
    static String nationalPhone(String phone) {
        String trimmed = phone.strip();
        return trimmed.startsWith("+86") ? trimmed.substring(3) : trimmed;
    }

    /** A value for a single-quoted FilterString literal. */
    static String quote(String value) {
        return value.replace("'", "''");
    }

    private static String requireText(Map<String, Object> payload, String key, OutboundAction action) {
        return text(payload, key).orElseThrow(() -> new BadInputException(action.kind() + " payload needs '" + key + "'"));
    }

    private static Optional<String> text(Map<?, ?> map, String key) {
        Object value = map.get(key);
        if (value == null || value instanceof Map || value instanceof List) {
            return Optional.empty();
        }
        String text = value instanceof BigDecimal decimal ? KingdeeNormalizer.plain(decimal) : String.valueOf(value).strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static Optional<BigDecimal> decimal(Map<?, ?> map, String key, String where) {
        return text(map, key).map(text -> {
            BigDecimal number;
            try {
                number = new BigDecimal(text);
            } catch (NumberFormatException e) {
                // Not quoted: payloads carry customers' data, which may be anything.
                throw new BadInputException(where + " has '" + key + "' that is not a number");
            }
            if (number.signum() != 0 && ((long) number.precision() - number.scale() > KingdeeNormalizer.MAX_INTEGER_DIGITS
                    || number.scale() > KingdeeNormalizer.MAX_FRACTION_DIGITS)) {
                throw new BadInputException(where + " has '" + key + "' out of range");
            }
            return number;
        });
    }
}
