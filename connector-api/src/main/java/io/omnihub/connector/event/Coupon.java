package io.omnihub.connector.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A coupon or voucher, for {@link EventTypes#COUPON_ISSUED} and {@link EventTypes#COUPON_REDEEMED}
 * events: what the channel says about it, nothing invented. {@code null} fields were not stated.
 *
 * <p>A coupon is known by the channel's {@code code} (what the customer shows or types: a voucher
 * code, a certificate id) and, where the channel has one, the {@code batch} it was issued from (a
 * coupon template, an activity, a product the voucher is for): a journey waits for "a coupon of
 * batch X redeemed", a report counts issued versus redeemed per batch.
 *
 * @param code        the coupon's code or id as the channel knows it; required
 * @param batch       the batch, template or activity it belongs to
 * @param name        the coupon's name as shown to the customer
 * @param valueMinor  its face value (or, for a redemption, the amount it took off), in minor units of
 *                    {@code currency}
 * @param currency    ISO 4217 code of {@code valueMinor}; required when {@code valueMinor} is stated
 * @param store       where it was redeemed: the store's or shop's id at the channel
 * @param orderId     the order it was issued with or redeemed on, when the channel says
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Coupon(String code, String batch, String name, Long valueMinor, String currency, String store,
                     String orderId) {

    public Coupon {
        Objects.requireNonNull(code, "code");
        if (code.isBlank()) {
            throw new IllegalArgumentException("a coupon needs a code");
        }
        if (valueMinor != null && currency == null) {
            throw new IllegalArgumentException("a coupon value needs a currency");
        }
    }

    /** A coupon known only by its code. */
    public static Coupon of(String code) {
        return new Coupon(code, null, null, null, null, null, null);
    }
}
