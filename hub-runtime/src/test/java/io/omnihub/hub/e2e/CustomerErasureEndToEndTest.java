package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.omnihub.hub.RunningHub;
import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.Headers;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A customer who came in over a signed WeChat webhook (the real plugin JAR) and {@code POST /api/v1/events}
 * is erased over the API: no lookup finds them, no text or JSON column of any table holds their phone or
 * openid, the dead-letter queue holds nothing of theirs, and the same webhook delivered again creates
 * nobody and moves the suppression's counters, until an admin lifts the suppression.
 */
class CustomerErasureEndToEndTest extends RunningHub {

    private static final String APP_ID = "wx0123456789abcdef";

    @Autowired
    DataSource dataSource;

    @Autowired
    ActiveMQConnectionFactory pipelineConnectionFactory;

    @Autowired
    EmbeddedActiveMQ broker;

    @Autowired
    MeterRegistry meters;

    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String openid = "oErase" + run + "xYz";
    private final String national = "139" + String.format("%08d", Math.abs(run.hashCode()) % 100_000_000);
    private final String phone = "+86" + national;

    @Test
    void anErasedCustomerIsFoundNowhereAndTheSameWebhookAgainCreatesNobodyButCountsOnTheSuppression() throws Exception {
        ApiCalls api = new ApiCalls("http://localhost:" + port);
        WeChatWebhookClient wechat = new WeChatWebhookClient("http://localhost:" + port, BRAND_OA_TOKEN, null, APP_ID);
        String subscribe = WeChatWebhookClient.subscribe(openid, Instant.now().getEpochSecond());

        assertThat(wechat.postPlain("brand-oa", openid, subscribe).body()).isEqualTo("success");
        String id = awaitCustomer(api, "wechat_openid", openid, APP_ID).path("id").asText();
        ApiCalls.Reply posted = asAdmin(api, "POST", "/api/v1/events", event("shop-" + run, "order.paid", true));
        assertThat(posted.status()).as(posted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> lookup(api, "phone", phone, null).status() == 200);
        assertThat(lookup(api, "phone", phone, null).json().path("id").asText()).isEqualTo(id);
        // authenticated but not a valid event: answered 400 and parked, the customer's phone in it
        ApiCalls.Reply bad = asAdmin(api, "POST", "/api/v1/events", event("bad-" + run, "Not A Type", false));
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(deadLettersHolding(phone, national, openid)).isGreaterThanOrEqualTo(1);

        // a raw record of theirs waiting out a retry backoff on hub.raw, as one does while the channel's API is down
        int waitingBefore = scheduledOn(Queues.RAW);
        waitOnRaw(WeChatWebhookClient.text(openid, Instant.now().getEpochSecond(), "still waiting", 7_100_000_000L + Math.abs(run.hashCode())));
        assertThat(scheduledOn(Queues.RAW)).isEqualTo(waitingBefore + 1);

        // the access export taken before erasure lists what is about to go
        ApiCalls.Reply export = asAdmin(api, "GET", "/api/v1/customers/" + id + "/export?reason=erasure+request", null);
        assertThat(export.status()).as(export.body()).isEqualTo(200);
        JsonNode sections = export.json().path("sections");
        assertThat(fields(sections.path("identities"), "value")).containsExactlyInAnyOrder(phone, openid);
        assertThat(fields(sections.path("timeline"), "type")).containsExactlyInAnyOrder("customer.followed", "order.paid");
        assertThat(fields(sections.path("orders"), "orderId")).containsExactly("W-" + run);

        assertThat(api.call("DELETE", "/api/v1/customers/" + id, null, admin.username(), admin.password()).status()).isEqualTo(400);
        assertThat(api.call("DELETE", "/api/v1/customers/" + id, "{\"reason\":\"asked\"}", VIEWER, VIEWER_PASSWORD).status()).isEqualTo(403);
        ApiCalls.Reply erased = asAdmin(api, "DELETE", "/api/v1/customers/" + id, "{\"reason\":\"customer request, ticket PIPL-" + run + "\"}");

        assertThat(erased.status()).as(erased.body()).isEqualTo(200);
        JsonNode record = erased.json();
        assertThat(record.path("counts").path("profiles").asLong()).isEqualTo(1);
        assertThat(record.path("counts").path("identities").asLong()).isEqualTo(2);
        assertThat(record.path("counts").path("timeline").asLong()).isEqualTo(2);
        assertThat(record.path("counts").path("orders").asLong()).isEqualTo(1);
        assertThat(record.path("counts").path("suppressed").asLong()).isEqualTo(2);
        assertThat(record.path("counts").path("deadLetters").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(record.path("counts").path("rawRecords").asLong()).isEqualTo(1);
        assertThat(scheduledOn(Queues.RAW)).isEqualTo(waitingBefore);
        assertThat(lookup(api, "wechat_openid", openid, APP_ID).status()).isEqualTo(404);
        assertThat(lookup(api, "phone", phone, null).status()).isEqualTo(404);
        assertThat(asAdmin(api, "GET", "/api/v1/customers/" + id, null).status()).isEqualTo(404);
        assertThat(columnsHolding(phone, national, openid)).isEmpty();
        assertThat(deadLettersHolding(phone, national, openid)).isZero();
        JsonNode erasures = asAdmin(api, "GET", "/api/v1/privacy/erasures", null).json();
        assertThat(erasures.get(0).path("id").asText()).isEqualTo(record.path("id").asText());
        assertThat(erasures.get(0).path("erasedBy").asText()).isEqualTo(admin.username());

        double metricBefore = suppressedMetric();
        assertThat(wechat.postPlain("brand-oa", openid, subscribe).body()).isEqualTo("success");

        JsonNode openidSuppression = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> suppression(api, "wechat_openid"), s -> s != null && s.path("hits").asLong() >= 1);
        // the hit is written in the apply transaction: once it shows, the event has been through the core
        assertThat(openidSuppression.path("namespace").asText()).isEqualTo(APP_ID);
        assertThat(openidSuppression.path("erasureId").asText()).isEqualTo(record.path("id").asText());
        assertThat(openidSuppression.path("lastHitAt").isNull()).isFalse();
        assertThat(suppressedMetric()).isGreaterThan(metricBefore);
        assertThat(lookup(api, "wechat_openid", openid, APP_ID).status()).isEqualTo(404);
        assertThat(columnsHolding(phone, national, openid)).isEmpty();
        assertThat(deadLettersHolding(phone, national, openid)).isZero();
        String listing = asAdmin(api, "GET", "/api/v1/privacy/suppressions?limit=1000", null).body();
        assertThat(listing).doesNotContain(openid).doesNotContain(national);

        ApiCalls.Reply lifted = asAdmin(api, "POST", "/api/v1/privacy/suppressions/lift", ApiCalls.json(java.util.Map.of(
                "type", "wechat_openid", "value", openid, "namespace", APP_ID, "reason", "came back and consented")));
        assertThat(lifted.status()).as(lifted.body()).isEqualTo(200);
        assertThat(lifted.json().path("liftedBy").asText()).isEqualTo(admin.username());
        assertThat(wechat.postPlain("brand-oa", openid, subscribe).body()).isEqualTo("success");
        assertThat(awaitCustomer(api, "wechat_openid", openid, APP_ID).path("id").asText()).isNotEqualTo(id);
    }

    @Test
    void liftingNeedsAReasonAndAnUnknownSuppressionIsNotFound() {
        ApiCalls api = new ApiCalls("http://localhost:" + port);

        assertThat(asAdmin(api, "DELETE", "/api/v1/privacy/suppressions/" + UUID.randomUUID(), null).status()).isEqualTo(400);
        assertThat(asAdmin(api, "DELETE", "/api/v1/privacy/suppressions/" + UUID.randomUUID(), "{\"reason\":\"x\"}").status()).isEqualTo(404);
        assertThat(api.call("GET", "/api/v1/privacy/suppressions", null, VIEWER, VIEWER_PASSWORD).status()).isEqualTo(403);
        assertThat(asAdmin(api, "DELETE", "/api/v1/customers/" + UUID.randomUUID(), "{\"reason\":\"x\"}").status()).isEqualTo(404);
    }

    private ApiCalls.Reply asAdmin(ApiCalls api, String method, String path, String body) {
        return api.call(method, path, body, admin.username(), admin.password());
    }

    private ApiCalls.Reply lookup(ApiCalls api, String type, String value, String namespace) {
        return asAdmin(api, "GET", "/api/v1/customers?identity=" + URLEncoder.encode(type + ":" + value, StandardCharsets.UTF_8)
                + (namespace == null ? "" : "&namespace=" + namespace), null);
    }

    private JsonNode awaitCustomer(ApiCalls api, String type, String value, String namespace) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> lookup(api, type, value, namespace), r -> r.status() == 200).json();
    }

    private JsonNode suppression(ApiCalls api, String type) {
        for (JsonNode s : asAdmin(api, "GET", "/api/v1/privacy/suppressions?limit=1000", null).json()) {
            if (type.equals(s.path("type").asText()) && s.path("erasureId").asText().length() > 0
                    && lookupErasureOfThisRun(api, s.path("erasureId").asText())) {
                return s;
            }
        }
        return null;
    }

    private boolean lookupErasureOfThisRun(ApiCalls api, String erasureId) {
        for (JsonNode e : asAdmin(api, "GET", "/api/v1/privacy/erasures?limit=1000", null).json()) {
            if (e.path("id").asText().equals(erasureId)) {
                return e.path("reason").asText().endsWith(run);
            }
        }
        return false;
    }

    private double suppressedMetric() {
        Counter counter = meters.find("hub.privacy.suppressed").tag("connector", "wechat").tag("instance", "brand-oa").counter();
        return counter == null ? 0 : counter.count();
    }

    /** A CloudEvent with the customer's openid and phone; {@code valid} false makes one the hub refuses. */
    private String event(String eventId, String type, boolean valid) {
        String now = Instant.now().toString();
        return """
                {"specversion":"1.0","id":"%s","source":"/connectors/shop/web","type":"%s","time":"%s","datacontenttype":"application/json",
                 "data":{"receivedAt":"%s","identities":[{"type":"wechat_openid","value":"%s","namespace":"%s","evidence":"verified"},
                 {"type":"phone","value":"%s","evidence":"verified"}],
                 "order":{"id":"W-%s","currency":"CNY","totalMinor":12900}}}
                """.formatted(eventId, type, now, now, openid, APP_ID, phone, run);
    }

    /** The field {@code name} of each row of an export section. */
    private static List<String> fields(JsonNode rows, String name) {
        List<String> out = new ArrayList<>();
        rows.forEach(row -> out.add(row.path(name).asText()));
        return out;
    }

    private int scheduledOn(String queue) {
        return broker.getActiveMQServer().locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(queue)).getScheduledCount();
    }

    /** Puts a raw record of brand-oa on {@code hub.raw}, due in an hour. */
    private void waitOnRaw(String xml) throws Exception {
        try (JMSContext context = pipelineConnectionFactory.createContext(JMSContext.SESSION_TRANSACTED)) {
            BytesMessage message = context.createBytesMessage();
            message.writeBytes(xml.getBytes(StandardCharsets.UTF_8));
            message.setStringProperty(Headers.CONNECTOR, "wechat");
            message.setStringProperty(Headers.INSTANCE, "brand-oa");
            message.setStringProperty(Headers.CONTENT_TYPE, "text/xml");
            message.setLongProperty(Headers.SCHEDULED_DELIVERY, System.currentTimeMillis() + Duration.ofHours(1).toMillis());
            context.createProducer().send(context.createQueue(Queues.RAW), message);
            context.commit();
        }
    }

    /** How many parked messages hold any of {@code needles} in their body or properties. */
    private int deadLettersHolding(String... needles) throws Exception {
        int found = 0;
        try (JMSContext context = pipelineConnectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = context.createBrowser(context.createQueue(Queues.DLQ))) {
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                Message message = (Message) messages.nextElement();
                StringBuilder text = new StringBuilder();
                if (message instanceof BytesMessage bytes) {
                    byte[] body = new byte[(int) bytes.getBodyLength()];
                    bytes.readBytes(body);
                    text.append(new String(body, StandardCharsets.UTF_8));
                }
                for (Enumeration<?> names = message.getPropertyNames(); names.hasMoreElements(); ) {
                    text.append('\n').append(message.getObjectProperty((String) names.nextElement()));
                }
                for (String needle : needles) {
                    if (text.toString().contains(needle)) {
                        found++;
                        break;
                    }
                }
            }
        }
        return found;
    }

    /** Every text, varchar, character, json, jsonb or array column of every table that holds one of {@code needles}. */
    private List<String> columnsHolding(String... needles) throws Exception {
        List<String> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            List<String[]> columns = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select c.table_schema, c.table_name, c.column_name from information_schema.columns c
                      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                     where t.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema')
                       and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')
                    """); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            assertThat(columns.stream().map(col -> col[1])).contains("crm_timeline", "crm_identity", "crm_action", "hub_dead_letter_audit");
            for (String[] col : columns) {
                for (String needle : needles) {
                    try (PreparedStatement ps = c.prepareStatement("select count(*) from \"" + col[0] + "\".\"" + col[1] + "\" where strpos(\""
                            + col[2] + "\"::text, ?) > 0")) {
                        ps.setString(1, needle);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) > 0) {
                                found.add(col[0] + "." + col[1] + "." + col[2]);
                            }
                        }
                    }
                }
            }
        }
        return found;
    }
}
