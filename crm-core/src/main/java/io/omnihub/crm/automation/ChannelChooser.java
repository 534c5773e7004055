package io.omnihub.crm.automation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Which of a send's options a message goes out on. An option is out when the customer has no
 * identity it can address, or, for a marketing message, no marketing consent on its channel
 * ({@link ChannelConsent}); of the options left, a {@code prefer} list takes the first, a {@code via}
 * list the one on the channel the customer uses most.
 */
final class ChannelChooser {

    private final Connection c;
    private final GuardSettings guards;

    ChannelChooser(Connection c, GuardSettings guards) {
        this.c = c;
        this.guards = guards;
    }

    /** An option that can reach the customer, with the identity it addresses. */
    record Reach(ActionSpec.SendOption option, String channel, Recipient recipient) {
    }

    /**
     * An option that cannot.
     *
     * @param why     e.g. {@code no wechat_openid}, {@code the customer declined marketing on sms}
     * @param consent whether consent ruled it out (else the customer has no identity for it)
     */
    record Refused(ActionSpec.SendOption option, String channel, String why, boolean consent) {
    }

    /**
     * The outcome: the option chosen (null when none can reach the customer) and every option
     * ruled out before it was chosen, in the listed order.
     */
    record Choice(Reach chosen, List<Refused> refused) {

        /**
         * Why nothing goes out, for the suppressed action: the consent guard when consent ruled out any
         * option ({@code consent: ...}), else {@code no recipient: ...}. With several options, each says
         * why ({@code consent: wechat: no wechat_openid; sms: the customer declined marketing on sms}).
         */
        String suppression() {
            boolean consent = refused.stream().anyMatch(Refused::consent);
            if (!consent) {
                return "no recipient: the customer has no "
                        + refused.stream().map(r -> r.option().recipientType()).distinct().collect(Collectors.joining(" or "));
            }
            if (refused.size() == 1) {
                return "consent: " + refused.get(0).why();
            }
            return "consent: " + perOption();
        }

        /** The options passed over for the chosen one, e.g. {@code wechat: no wechat_openid}, or null when none was. */
        String passedOver() {
            return refused.isEmpty() ? null : perOption();
        }

        private String perOption() {
            Map<String, Long> perChannel = refused.stream().collect(Collectors.groupingBy(Refused::channel, Collectors.counting()));
            return refused.stream()
                    .map(r -> (perChannel.get(r.channel()) > 1 ? r.channel() + " (" + r.option().kind() + ")" : r.channel()) + ": " + r.why())
                    .collect(Collectors.joining("; "));
        }
    }

    /** Chooses the option of {@code send} for {@code customer}. */
    Choice choose(ActionSpec.Send send, CustomerFacts customer) throws SQLException {
        List<Reach> reachable = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        for (ActionSpec.SendOption option : send.via()) {
            String channel = SendChannels.of(option);
            Recipient recipient = recipient(customer.id, option);
            if (recipient == null) {
                refused.add(new Refused(option, channel, "no " + option.recipientType(), false));
                continue;
            }
            String noConsent = send.marketing() ? ChannelConsent.of(customer.consent, channel).refusal(guards) : null;
            if (noConsent != null) {
                refused.add(new Refused(option, channel, noConsent, true));
                continue;
            }
            Reach reach = new Reach(option, channel, recipient);
            if (send.order() == ActionSpec.Order.PREFERENCE) {
                return new Choice(reach, refused); // the first that can reach the customer; the rest are not asked
            }
            reachable.add(reach);
        }
        if (reachable.isEmpty()) {
            return new Choice(null, refused);
        }
        return new Choice(reachable.size() == 1 ? reachable.get(0) : mostUsed(customer.id, reachable), refused);
    }

    /**
     * The identity to address through {@code option}: of its type (and namespace, when set), first
     * seen through that instance if there is one, else the most recently seen.
     */
    private Recipient recipient(UUID customer, ActionSpec.SendOption option) throws SQLException {
        String source = "/connectors/" + option.connector() + "/" + option.instance();
        try (PreparedStatement ps = c.prepareStatement("select namespace, value from crm_identity where customer_id = ? and type = ?"
                + (option.recipientNamespace() == null ? "" : " and namespace = ?")
                + " order by (source = ?) desc, last_seen_at desc, value limit 1")) {
            int i = 1;
            ps.setObject(i++, customer);
            ps.setString(i++, option.recipientType());
            if (option.recipientNamespace() != null) {
                ps.setString(i++, option.recipientNamespace());
            }
            ps.setString(i, source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Recipient(option.recipientType(), rs.getString(1).isEmpty() ? null : rs.getString(1),
                        rs.getString(2)) : null;
            }
        }
    }

    /** The option on the channel with most timeline entries of this customer; the listed order breaks ties. */
    private Reach mostUsed(UUID customer, List<Reach> reachable) throws SQLException {
        Map<String, Long> perConnector = new HashMap<>();
        Map<String, Long> perSource = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select source, count(*) from crm_timeline where customer_id = ? group by source")) {
            ps.setObject(1, customer);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String source = rs.getString(1);
                    long n = rs.getLong(2);
                    perSource.merge(source, n, Long::sum);
                    String[] parts = source.split("/");
                    perConnector.merge(parts.length >= 3 ? parts[2] : source, n, Long::sum);
                }
            }
        }
        Reach best = reachable.get(0);
        long[] bestScore = {-1, -1};
        for (Reach r : reachable) {
            long byConnector = perConnector.getOrDefault(r.option().connector(), 0L);
            long bySource = perSource.getOrDefault("/connectors/" + r.option().connector() + "/" + r.option().instance(), 0L);
            if (byConnector > bestScore[0] || (byConnector == bestScore[0] && bySource > bestScore[1])) {
                best = r;
                bestScore[0] = byConnector;
                bestScore[1] = bySource;
            }
        }
        return best;
    }
}
