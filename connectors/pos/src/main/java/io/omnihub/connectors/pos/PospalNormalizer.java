package io.omnihub.connectors.pos;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.errors.BadInputException;
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
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a Pospal ticket into a {@code store.purchased} event.
 *
 * <p>A ticket names its member only by {@code customerUid}; the member's phone and card number
 * come from {@code customerOpenApi/queryByUid} through {@link PospalApiClient#member} (DESIGN §2:
 * while Pospal is down the record waits on {@code hub.raw} and is retried). A ticket without a
 * member (a walk-in sale, {@code customerUid} 0) and a voided ticket ({@code invalid} 1) concern no
 * customer and give no event.
 *
 * <p>Identities: {@code phone} (E.164), {@code member_card} = the member number namespaced by
 * {@code brand}, {@code email}. A member whose phone is not a phone number keeps the other two.
 */
public final class PospalNormalizer implements Normalizer {

    /** The raw record attribute naming the ticket's store, set by the poller. */
    static final String STORE_ID_ATTRIBUTE = "storeId";

    private final ConnectorContext ctx;
    private final PospalConfig config;
    private final PospalApiClient api;

    public PospalNormalizer(ConnectorContext ctx, PospalConfig config, PospalApiClient api) {
        this.ctx = ctx;
        this.config = config;
        this.api = api;
    }

    @Override
    public List<CustomerEvent> normalize(RawRecord record) {
        JsonNode ticket = parse(record);
        String sn = PospalApiClient.text(ticket, "sn");
        if (sn == null) {
            throw new BadInputException("Pospal ticket '" + record.key() + "' has no sn");
        }
        if (ticket.path("invalid").asInt(0) != 0) {
            return List.of();
        }
        String customerUid = PospalApiClient.text(ticket, "customerUid");
        if (customerUid == null || customerUid.matches("0+|-1")) {
            return List.of();
        }
        String storeId = record.attributes().getOrDefault(STORE_ID_ATTRIBUTE, config.storeId());
        String where = "Pospal ticket " + sn;
        LocalDateTime saleTime = time(ticket, where);
        BigDecimal total = decimal(ticket, "totalAmount", where);
        if (total == null) {
            throw new BadInputException(where + " has no totalAmount");
        }
        List<Order.OrderLine> lines = lines(ticket.path("items"), where);

        Optional<PospalMember> member = api.member(customerUid);
        if (member.isEmpty()) {
            ctx.logger().log(System.Logger.Level.INFO, "{0}: Pospal knows no member {1} any more; no event", where,
                    customerUid);
            return List.of();
        }
        List<Identity> identities = identities(member.get(), where);
        if (identities.isEmpty()) {
            ctx.logger().log(System.Logger.Level.INFO, "{0}: member {1} has no phone, number or e-mail; no event",
                    where, customerUid);
            return List.of();
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (member.get().name() != null) {
            attributes.put("name", member.get().name());
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("ticketUid", PospalApiClient.text(ticket, "uid"));
        extra.put("customerUid", customerUid);
        extra.put("payments", payments(ticket.path("payments"), where));
        SalesTicket sale = new SalesTicket(storeId, sn, saleTime.atZone(config.common().timeZone()).toOffsetDateTime(),
                amount(total, where), PospalApiClient.text(ticket, "ticketType"), lines, identities, attributes, extra);
        return List.of(sale.toEvent(ctx.connectorId(), ctx.instanceId(), config.common().brand(), record.receivedAt()));
    }

    private static JsonNode parse(RawRecord record) {
        try {
            JsonNode ticket = PospalApiClient.JSON.readTree(record.payload());
            if (ticket != null && ticket.isObject()) {
                return ticket;
            }
        } catch (IOException | NumberFormatException e) {
            // reported below; NumberFormatException: an exponent beyond what BigDecimal takes
        }
        throw new BadInputException("Pospal ticket record '" + record.key() + "' is not a JSON object");
    }

    private LocalDateTime time(JsonNode ticket, String where) {
        String text = PospalApiClient.text(ticket, "datetime");
        if (text == null) {
            throw new BadInputException(where + " has no datetime");
        }
        try {
            return LocalDateTime.parse(text, PospalApiClient.POSPAL_TIME);
        } catch (DateTimeParseException e) {
            // Not quoted: a field of the wrong kind may hold anything, personal data included.
            throw new BadInputException(where + " has a datetime that is not yyyy-MM-dd HH:mm:ss");
        }
    }

    private static List<Order.OrderLine> lines(JsonNode items, String where) {
        List<Order.OrderLine> lines = new ArrayList<>();
        int index = 0;
        for (JsonNode item : items) {
            index++;
            String line = where + " item " + index;
            BigDecimal quantity = decimal(item, "quantity", line);
            BigDecimal amount = decimal(item, "totalAmount", line);
            BigDecimal price = decimal(item, "sellPrice", line);
            if (price == null) {
                price = decimal(item, "customerPrice", line);
            }
            if (quantity == null) {
                quantity = BigDecimal.ONE;
            }
            if (price == null) {
                if (amount == null || quantity.signum() == 0) {
                    throw new BadInputException(line + " states neither sellPrice nor totalAmount");
                }
                price = amount.divide(quantity, 2, RoundingMode.HALF_UP);
            }
            String sku = PospalApiClient.text(item, "productBarcode");
            if (sku == null) {
                sku = PospalApiClient.text(item, "productUid");
            }
            try {
                lines.add(SalesTicket.line(sku, PospalApiClient.text(item, "name"), quantity, price, amount));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(line + ": " + e.getMessage());
            }
        }
        return lines;
    }

    private List<Identity> identities(PospalMember member, String where) {
        List<Identity> identities = new ArrayList<>();
        if (member.phone() != null) {
            try {
                // the member gave it when joining
                identities.add(Identity.phone(member.phone()).withEvidence(Evidence.STATED));
            } catch (IllegalArgumentException e) {
                // The channel's own data: replaying cannot fix it, so the event goes on without it.
                ctx.logger().log(System.Logger.Level.INFO, "{0}: the member''s phone is not a phone number; left out",
                        where);
            }
        }
        if (member.number() != null) {
            identities.add(Identity.of(IdentityTypes.MEMBER_CARD, member.number(), config.common().brand()).withEvidence(Evidence.VERIFIED));
        }
        if (member.email() != null && member.email().contains("@")) {
            identities.add(Identity.of(IdentityTypes.EMAIL, member.email().toLowerCase(Locale.ROOT)).withEvidence(Evidence.STATED));
        }
        return identities;
    }

    private static List<Map<String, Object>> payments(JsonNode payments, String where) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (JsonNode payment : payments) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("code", PospalApiClient.text(payment, "code"));
            BigDecimal amount = decimal(payment, "amount", where + " payment");
            if (amount != null) {
                entry.put("amountMinor", amount(amount, where));
            }
            list.add(entry);
        }
        return list;
    }

    private static long amount(BigDecimal yuan, String where) {
        try {
            return Fen.of(yuan);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(where + ": " + e.getMessage());
        }
    }

    /** A decimal field sent as a number or a numeric string; {@code null} when absent. */
    private static BigDecimal decimal(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        BigDecimal number;
        if (value.isNumber()) {
            number = value.decimalValue();
        } else if (value.isTextual() && !value.asText().isBlank()) {
            try {
                number = new BigDecimal(value.asText().strip());
            } catch (NumberFormatException e) {
                throw new BadInputException(where + " has a " + field + " that is not a number");
            }
        } else {
            return null;
        }
        try {
            return Fen.bounded(number);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(where + " has a " + field + " out of range");
        }
    }
}
