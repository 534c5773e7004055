package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Message;
import io.omnihub.hub.RunningHub;
import io.omnihub.routes.Queues;
import io.omnihub.routes.broker.BrokerMessage;
import io.omnihub.routes.broker.DeadLetters;
import io.omnihub.routes.stage.EventMessages;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Operators list, filter, inspect, replay and discard dead letters over the API, on a running hub:
 * parked messages are built as the stages build them and parked on the real broker; a replayed
 * event is applied by the real core.
 */
class DeadLetterOperationsTest extends RunningHub {

    @Autowired
    ActiveMQConnectionFactory pipelineConnectionFactory;

    @Autowired
    EventMessages events;

    private ApiCalls api;

    @BeforeEach
    void client() {
        api = new ApiCalls("http://localhost:" + port);
    }

    private ApiCalls.Reply asAdmin(String method, String path, Object body) {
        return api.call(method, path, body == null ? null : ApiCalls.json(body), admin.username(), admin.password());
    }

    @Test
    void aReplayedCoreDeadLetterIsAppliedAndTheReplayIsAudited() {
        String openid = "oReplayed_" + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
        String id = park(coreDeadLetter(openid, "replay-oa"));

        ApiCalls.Reply replayed = asAdmin("POST", "/api/v1/dlq/" + id + "/replay", null);

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json().path("queue").asText()).isEqualTo(Queues.EVENTS);
        JsonNode customer = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(
                () -> customerWithOpenid(openid), c -> c != null);
        assertThat(customer.path("timeline").toString()).contains("message.received");
        assertThat(asAdmin("GET", "/api/v1/dlq/" + id, null).status()).isEqualTo(404);
        JsonNode audit = asAdmin("GET", "/api/v1/dlq/audit", null).json();
        assertThat(audit.toString()).contains(id, "REPLAYED", "hub.events");
    }

    @Test
    void aReplayedNormalizeDeadLetterThatFailsAgainIsParkedAgainCountingTheReplay() {
        String id = park(normalizeDeadLetterOfAnUnreadableRecord("brand-oa"));

        ApiCalls.Reply replayed = asAdmin("POST", "/api/v1/dlq/" + id + "/replay", null);

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json().path("queue").asText()).isEqualTo(Queues.RAW);
        JsonNode again = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(
                () -> findByProperty("hub_replays", "1"), found -> found != null);
        assertThat(again.path("summary").path("stage").asText()).isEqualTo("normalize");
        assertThat(again.path("summary").path("attempts").asInt()).isEqualTo(1);
        assertThat(again.path("properties").path("hub_replayed_by").asText()).isEqualTo(admin.username());
    }

    @Test
    void anIngressDeadLetterCannotBeReplayedAndSaysWhy() {
        String id = park(new DeadLetters(Clock.systemUTC()).park(BrokerMessage.to(Queues.RAW,
                "<xml>half".getBytes(StandardCharsets.UTF_8), Map.of("hub_connector", "wechat", "hub_instance", "brand-oa")),
                "ingress", "BadInputException", "not XML"));

        ApiCalls.Reply refused = asAdmin("POST", "/api/v1/dlq/" + id + "/replay", null);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("detail").asText()).contains("ingress dead letter", "discard");
        assertThat(asAdmin("GET", "/api/v1/dlq/" + id, null).status()).isEqualTo(200);
    }

    @Test
    void listFiltersByConnectorInstanceStageAndError() {
        String instance = "filter-" + UUID.randomUUID().toString().substring(0, 8);
        String core = park(coreDeadLetter("oFilterCore_0123456789abcdef", instance));
        String normalize = park(normalizeDeadLetterOfAnUnreadableRecord(instance));

        JsonNode byInstance = asAdmin("GET", "/api/v1/dlq?connector=wechat&instance=" + instance, null).json();
        JsonNode byStage = asAdmin("GET", "/api/v1/dlq?instance=" + instance + "&stage=normalize", null).json();
        JsonNode byError = asAdmin("GET", "/api/v1/dlq?instance=" + instance + "&error=database%20said", null).json();

        assertThat(byInstance.path("matching").asInt()).isEqualTo(2);
        assertThat(byInstance.path("depth").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(ids(byInstance)).containsExactlyInAnyOrder(core, normalize);
        assertThat(ids(byStage)).containsExactly(normalize);
        assertThat(ids(byError)).containsExactly(core);
    }

    @Test
    void showingOneGivesItsWholeContextWithPersonalDataMasked() {
        String id = park(normalizeDeadLetterOfAnUnreadableRecord("brand-oa"));

        JsonNode detail = asAdmin("GET", "/api/v1/dlq/" + id, null).json();

        assertThat(detail.path("summary").path("errorClass").asText()).isEqualTo("BadInputException");
        assertThat(detail.path("replayTo").asText()).isEqualTo(Queues.RAW);
        assertThat(detail.path("payload").asText()).contains("<Content>").doesNotContain("13912345678");
        assertThat(detail.toString()).doesNotContain("13912345678");
        assertThat(detail.path("properties").path("hub_stage").asText()).isEqualTo("normalize");
    }

    @Test
    void discardingRemovesTheMessageAndWritesWhoWhenAndWhy() {
        String id = park(coreDeadLetter("oDiscarded_0123456789abcdefg", "discard-oa"));

        ApiCalls.Reply withoutReason = asAdmin("POST", "/api/v1/dlq/" + id + "/discard", Map.of());
        ApiCalls.Reply discarded = asAdmin("POST", "/api/v1/dlq/" + id + "/discard", Map.of("reason", "test order from QA"));

        assertThat(withoutReason.status()).isEqualTo(400);
        assertThat(discarded.status()).isEqualTo(200);
        assertThat(asAdmin("GET", "/api/v1/dlq/" + id, null).status()).isEqualTo(404);
        JsonNode entry = null;
        for (JsonNode row : asAdmin("GET", "/api/v1/dlq/audit", null).json()) {
            if (row.path("messageId").asText().equals(id)) {
                entry = row;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.path("action").asText()).isEqualTo("DISCARDED");
        assertThat(entry.path("actor").asText()).isEqualTo(admin.username());
        assertThat(entry.path("reason").asText()).isEqualTo("test order from QA");
        assertThat(entry.path("stage").asText()).isEqualTo("core");
        assertThat(entry.path("instance").asText()).isEqualTo("discard-oa");
        assertThat(entry.path("payloadSha256").asText()).hasSize(64);
        assertThat(entry.toString()).doesNotContain("oDiscarded_0123456789abcdefg");
    }

    @Test
    void replayingManyByFilterReportsEachOutcome() {
        String instance = "bulk-" + UUID.randomUUID().toString().substring(0, 8);
        String first = park(coreDeadLetter("oBulkFirst_0123456789abcdefg", instance));
        String second = park(coreDeadLetter("oBulkSecond_0123456789abcdef", instance));

        ApiCalls.Reply replayed = asAdmin("POST", "/api/v1/dlq/replay", Map.of("instance", instance, "stage", "core"));
        ApiCalls.Reply nothingGiven = asAdmin("POST", "/api/v1/dlq/replay", Map.of());

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json().findValuesAsText("messageId")).containsExactlyInAnyOrder(first, second);
        assertThat(replayed.json().findValuesAsText("replayed")).containsOnly("true");
        assertThat(nothingGiven.status()).isEqualTo(400);
        await().atMost(Duration.ofSeconds(30)).until(() -> customerWithOpenid("oBulkSecond_0123456789abcdef") != null);
    }

    @Test
    void aViewerMayReadDeadLettersButNotReplayThem() {
        String id = park(coreDeadLetter("oViewerOnly_0123456789abcdef", "viewer-oa"));

        assertThat(api.call("GET", "/api/v1/dlq/" + id, null, VIEWER, VIEWER_PASSWORD).status()).isEqualTo(200);
        assertThat(api.call("POST", "/api/v1/dlq/" + id + "/replay", null, VIEWER, VIEWER_PASSWORD).status()).isEqualTo(403);
    }

    /** An event the core refused at the time, as the core stage parks it. */
    private BrokerMessage coreDeadLetter(String openid, String instance) {
        CustomerEvent event = CustomerEvent.builder("wechat:wxdead1etter000001:" + openid, EventTypes.MESSAGE_RECEIVED)
                .source("wechat", instance)
                .time(Instant.now())
                .receivedAt(Instant.now())
                .identity(Identity.of(IdentityTypes.WECHAT_OPENID, openid, "wxdead1etter000001"))
                .message(new Message("text", "parked, then replayed"))
                .build();
        return new DeadLetters(Clock.systemUTC()).park(events.toEvents("wechat", instance, event), "core",
                "EventRejected", "database said no");
    }

    /** A raw WeChat record without a sender, as the normalize stage parks it. */
    private BrokerMessage normalizeDeadLetterOfAnUnreadableRecord(String instance) {
        String xml = "<xml><ToUserName><![CDATA[gh_test]]></ToUserName><CreateTime>1700000000</CreateTime>"
                + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[call me on 13912345678]]></Content>"
                + "<MsgId>" + System.nanoTime() + "</MsgId></xml>";
        BrokerMessage raw = BrokerMessage.to(Queues.RAW, xml.getBytes(StandardCharsets.UTF_8), Map.of(
                "hub_connector", "wechat", "hub_instance", instance, "hub_content_type", "text/xml",
                "hub_received_at", System.currentTimeMillis(), "hub_key", "msg-" + System.nanoTime()));
        return new DeadLetters(Clock.systemUTC()).park(raw, "normalize", "BadInputException", "the message has no <FromUserName>");
    }

    /** Parks a message on hub.dlq and returns its id. */
    private String park(BrokerMessage message) {
        try (Connection connection = pipelineConnectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.Message jms = message.toJms(session);
            session.createProducer(session.createQueue(Queues.DLQ)).send(jms);
            return jms.getJMSMessageID();
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode customerWithOpenid(String openid) {
        ApiCalls.Reply reply = asAdmin("GET", "/api/v1/customers?identity=wechat_openid:" + openid + "&namespace=wxdead1etter000001", null);
        return reply.status() == 200 ? reply.json() : null;
    }

    private JsonNode findByProperty(String property, String value) {
        for (JsonNode letter : asAdmin("GET", "/api/v1/dlq?limit=500&stage=normalize", null).json().path("messages")) {
            JsonNode detail = asAdmin("GET", "/api/v1/dlq/" + letter.path("messageId").asText(), null).json();
            if (value.equals(detail.path("properties").path(property).asText())) {
                return detail;
            }
        }
        return null;
    }

    private static List<String> ids(JsonNode page) {
        return page.path("messages").findValuesAsText("messageId");
    }
}
