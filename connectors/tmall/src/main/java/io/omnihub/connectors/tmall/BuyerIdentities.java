package io.omnihub.connectors.tmall;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a trade or TMC message names: {@code tmall_ouid} from {@code buyer_open_uid} in the seller's
 * namespace, and a phone from {@code receiver_mobile} when it is a plain mainland mobile number.
 */
final class BuyerIdentities {

    /** A mainland mobile number, optionally with the country code. */
    private static final Pattern MAINLAND_MOBILE = Pattern.compile("^(\\+?86)?1[3-9]\\d{9}$");

    private BuyerIdentities() {
    }

    /** The identities {@code node} states, none when it names nobody. */
    static List<Identity> of(JsonNode node, String seller) {
        List<Identity> identities = new ArrayList<>();
        String ouid = TopJson.text(node, "buyer_open_uid");
        if (ouid != null) {
            identities.add(Identity.of(IdentityTypes.TMALL_OUID, ouid, seller).withEvidence(Evidence.VERIFIED));
        }
        // the receiver of the parcel: a gift goes to someone else
        phone(TopJson.text(node, "receiver_mobile")).map(p -> p.withEvidence(Evidence.DELIVERY))
                .ifPresent(identities::add);
        return identities;
    }

    /** A phone identity for a plain mainland mobile; nothing for masked ({@code *}) or encrypted values. */
    static Optional<Identity> phone(String mobile) {
        if (mobile == null || mobile.indexOf('*') >= 0) {
            return Optional.empty();
        }
        String digits = mobile.replaceAll("[\\s-]", "");
        if (!MAINLAND_MOBILE.matcher(digits).matches()) {
            return Optional.empty();
        }
        return Optional.of(Identity.phone(digits.startsWith("+") ? digits : "+86" + digits.substring(digits.length() - 11)));
    }
}
