package io.omnihub.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.Order;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the core keeps of old timeline entries and old actions once their retention period has passed. */
class DetailPrunerTest extends PgTestBase {

    static final Duration YEAR = Duration.ofDays(365);

    @Test
    void oldTimelineEntriesKeepTypeTimeSourceAndFiguresButLoseTheirDetail() throws SQLException {
        apply(event("old-msg", "message.received", "wechat", t(0), openid("oOld_0123456789abcdefghijklm"), phone("13912345678"))
                        .message(new io.omnihub.connector.event.Message("text", "我的地址是上海市静安区南京西路1号"))
                        .extra("nickname", "王芳").build(),
                order("old-order", "order.paid", "tmall", t(1), new Order("T-1", "PAID", "CNY", 12_900, List.of()),
                        phone("13912345678")),
                msg("new-msg", "wechat", t(0).plus(Duration.ofDays(200)), "还在吗", openid("oOld_0123456789abcdefghijklm")));
        Instant now = t(0).plus(Duration.ofDays(400));

        long pruned = new DetailPruner(ds).dropTimelineDetail(now.minus(YEAR), 1);

        assertThat(pruned).isEqualTo(2);
        CustomerView customer = view(phone("13912345678"));
        assertThat(customer.timeline()).extracting(TimelineEntry::eventId).containsExactlyInAnyOrder("old-msg", "old-order", "new-msg");
        TimelineEntry oldMessage = entry(customer, "old-msg");
        assertThat(oldMessage.type()).isEqualTo("message.received");
        assertThat(oldMessage.time()).isEqualTo(t(0));
        assertThat(oldMessage.source()).isEqualTo("/connectors/wechat/main");
        assertThat(oldMessage.summary()).isEqualTo(Map.of("message", Map.of("kind", "text"), "detailDropped", true));
        assertThat(entry(customer, "old-order").summary()).containsEntry("detailDropped", true)
                .containsEntry("order", Map.of("id", "T-1", "status", "PAID", "currency", "CNY", "totalMinor", 12_900, "lines", 0));
        assertThat(entry(customer, "new-msg").summary()).containsEntry("message", Map.of("kind", "text", "text", "还在吗"))
                .doesNotContainKey("detailDropped");
        assertThat(count("select count(*) from crm_timeline where summary::text like '%南京西路%' or summary::text like '%王芳%'")).isZero();
        assertThat(count("select count(*) from crm_timeline where identities <> '[]'::jsonb")).isEqualTo(1);
        assertThat(customer.orders().count()).isEqualTo(1);

        assertThat(new DetailPruner(ds).dropTimelineDetail(now.minus(YEAR), 100)).as("a second sweep finds nothing left").isZero();
    }

    @Test
    void finishedActionsOlderThanTheLimitLoseTheirPayloadAndRecipientButKeepStatusAndCounts() throws SQLException {
        UUID customer = UUID.randomUUID();
        Instant now = T0.plus(Duration.ofDays(400));
        action("rule:old-sent", customer, "sent", T0);
        action("rule:old-failed", customer, "failed", T0.plus(Duration.ofDays(1)));
        action("rule:old-planned", customer, "planned", T0);
        action("rule:recent-sent", customer, "sent", now.minus(Duration.ofDays(10)));

        long cleared = new DetailPruner(ds).clearActionPayloads(now.minus(Duration.ofDays(180)), 500);

        assertThat(cleared).isEqualTo(2);
        assertThat(actionRow("rule:old-sent")).isEqualTo(List.of("sent", "{}", "<null>", "phone", "spring"));
        assertThat(actionRow("rule:old-failed")).isEqualTo(List.of("failed", "{}", "<null>", "phone", "spring"));
        assertThat(actionRow("rule:old-planned")).as("an action still to be sent keeps what it sends")
                .isEqualTo(List.of("planned", "{\"text\": \"王芳，您好\"}", "13912345678", "phone", "spring"));
        assertThat(actionRow("rule:recent-sent").get(2)).isEqualTo("13912345678");
        assertThat(count("select count(*) from crm_action where customer_id = '" + customer + "'")).isEqualTo(4);
    }

    private static TimelineEntry entry(CustomerView customer, String eventId) {
        return customer.timeline().stream().filter(e -> e.eventId().equals(eventId)).findFirst().orElseThrow();
    }

    private static void action(String id, UUID customer, String status, Instant at) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into crm_action (id, customer_id, origin, kind, connector, instance, recipient_type, recipient_value, payload,
                                        marketing, campaign, status, not_before, created_at, updated_at)
                values (?, ?, 'rule', 'message', 'sms', 'main', 'phone', '13912345678', '{"text": "王芳，您好"}'::jsonb,
                        true, 'spring', ?, ?, ?, ?)""")) {
            ps.setString(1, id);
            ps.setObject(2, customer);
            ps.setString(3, status);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.setTimestamp(5, Timestamp.from(at));
            ps.setTimestamp(6, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    private static List<String> actionRow(String id) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select status, payload::text, recipient_value, recipient_type, campaign from crm_action where id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return List.of(rs.getString(1), rs.getString(2), String.valueOf(rs.getString(3)).replace("null", "<null>"), rs.getString(4), rs.getString(5));
            }
        }
    }
}
