package io.omnihub.connectors.pos;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.omnihub.connectors.pos.PosFixtures.APP_ID;
import static io.omnihub.connectors.pos.PosFixtures.NOW;
import static io.omnihub.connectors.pos.PosFixtures.cloudConfig;
import static io.omnihub.connectors.pos.PospalStubs.json;
import static io.omnihub.connectors.pos.PospalStubs.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.event.Order;
import io.omnihub.connector.source.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PospalNormalizerTest {

    @RegisterExtension
    static WireMockExtension pospal = PospalStubs.server();

    private Normalizer normalizer;

    @BeforeEach
    void setUp() {
        normalizer = new PosConnector().open(PosFixtures.context(cloudConfig(pospal.baseUrl()))).normalizer();
        pospal.stubFor(member("592384817498735216").willReturn(json("member-zhang.json")));
        pospal.stubFor(member("592384817498735299").willReturn(json("member-li.json")));
    }

    /** Ticket {@code index} of a page fixture, as the poller makes it a record. */
    static RawRecord ticket(String page, int index, Consumer<ObjectNode> change) {
        try {
            JsonNode all = PospalApiClient.JSON.readTree(PosFixtures.text("pospal/" + page));
            ObjectNode ticket = (ObjectNode) all.path("data").path("result").get(index).deepCopy();
            change.accept(ticket);
            return new RawRecord(ticket.path("sn").asText(), "application/json",
                    PospalApiClient.JSON.writeValueAsBytes(ticket), Map.of("storeId", APP_ID), NOW);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static RawRecord ticket(String page, int index) {
        return ticket(page, index, t -> { });
    }

    @Test
    void memberTicketIsAStorePurchaseWithPhoneCardAndChineseLines() {
        List<CustomerEvent> events = normalizer.normalize(ticket("ticket-page-1.json", 0));

        PosFixtures.assertValid(events);
        CustomerEvent event = events.get(0);
        assertThat(event.id()).isEqualTo("pos:acme:" + APP_ID + ":202505200930150010001");
        assertThat(event.type()).isEqualTo(EventTypes.STORE_PURCHASED);
        assertThat(event.source()).isEqualTo("/connectors/pos/flagship");
        assertThat(event.time()).isEqualTo(OffsetDateTime.parse("2025-05-20T09:30:15+08:00"));
        assertThat(event.data().identities()).containsExactly(
                Identity.phone("13912345678").withEvidence(Evidence.STATED),
                Identity.of(IdentityTypes.MEMBER_CARD, "VIP0001", "acme").withEvidence(Evidence.VERIFIED));
        assertThat(event.data().identities().get(0).value()).isEqualTo("+8613912345678");
        assertThat(event.data().attributes()).containsEntry("name", "张三");
        Order order = event.data().order();
        assertThat(order.id()).isEqualTo(APP_ID + ":202505200930150010001");
        assertThat(order.status()).isEqualTo("SELL");
        assertThat(order.currency()).isEqualTo("CNY");
        assertThat(order.totalMinor()).isEqualTo(12850);
        assertThat(order.lines()).containsExactly(
                new Order.OrderLine("6901234567892", "有机纯牛奶 250ml×12", 2, 5990),
                // 0.518 kg of apples: one line at the line's amount, 8.70
                new Order.OrderLine("284935710298399", "散装红富士苹果", 1, 870));
        assertThat(event.data().extra())
                .containsEntry("storeId", APP_ID)
                .containsEntry("ticketSn", "202505200930150010001")
                .containsEntry("customerUid", "592384817498735216")
                .containsEntry("ticketUid", "1747704615000011")
                .containsEntry("payments", List.of(Map.of("code", "payCode_105", "amountMinor", 12850L)));
        assertThat(event.data().receivedAt().toInstant()).isEqualTo(NOW);
    }

    @Test
    void returnTicketHasNegativeAmountsAndKeepsPospalsType() {
        CustomerEvent event = normalizer.normalize(ticket("ticket-page-2.json", 0)).get(0);

        PosFixtures.assertValid(List.of(event));
        assertThat(event.type()).isEqualTo(EventTypes.STORE_PURCHASED);
        assertThat(event.data().order().status()).isEqualTo("SELL_RETURN");
        assertThat(event.data().order().totalMinor()).isEqualTo(-5990);
        assertThat(event.data().order().lines()).containsExactly(
                new Order.OrderLine("6901234567892", "有机纯牛奶 250ml×12", 1, -5990));
        // Pospal holds "无" as this member's phone: left out; card and e-mail stay.
        assertThat(event.data().identities()).containsExactly(
                Identity.of(IdentityTypes.MEMBER_CARD, "VIP0002", "acme").withEvidence(Evidence.VERIFIED),
                Identity.of(IdentityTypes.EMAIL, "li.si@example.com").withEvidence(Evidence.STATED));
    }

    @Test
    void walkInAndVoidedTicketsGiveNoEventAndNoLookup() {
        assertThat(normalizer.normalize(ticket("ticket-page-1.json", 1))).isEmpty();
        assertThat(normalizer.normalize(ticket("ticket-page-1.json", 0, t -> t.put("invalid", 1)))).isEmpty();

        pospal.verify(0, postRequestedFor(urlPathEqualTo(PospalApiClient.CUSTOMER_BY_UID_PATH)));
    }

    @Test
    void memberPospalNoLongerKnowsGivesNoEvent() {
        pospal.stubFor(member("592384817498735200").willReturn(json("member-not-found.json")));

        assertThat(normalizer.normalize(ticket("ticket-page-1.json", 0,
                t -> t.put("customerUid", new java.math.BigInteger("592384817498735200"))))).isEmpty();
    }

    @Test
    void pospalDownDuringTheLookupIsTransientSoTheRecordWaits() {
        pospal.resetAll();
        pospal.stubFor(member("592384817498735216").willReturn(PospalStubs.serverError()));

        assertThatThrownBy(() -> normalizer.normalize(ticket("ticket-page-1.json", 0)))
                .isInstanceOf(TransientException.class);
    }

    @Test
    void theRecordsStoreMakesTheIdAndTheSameRecordTheSameId() {
        RawRecord record = ticket("ticket-page-1.json", 0);
        RawRecord inStore = new RawRecord(record.key(), record.contentType(), record.payload(), Map.of("storeId", "静安店"), NOW);

        CustomerEvent event = normalizer.normalize(inStore).get(0);

        assertThat(event.id()).isEqualTo("pos:acme:静安店:202505200930150010001");
        assertThat(event.data().order().id()).isEqualTo("静安店:202505200930150010001");
        assertThat(normalizer.normalize(inStore).get(0).id()).isEqualTo(event.id());
    }

    @Test
    void malformedTicketsAreBadInputSayingWhatIsWrong() {
        assertThatThrownBy(() -> normalizer.normalize(new RawRecord("x", "application/json",
                "<html/>".getBytes(StandardCharsets.UTF_8), Map.of(), NOW)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> normalizer.normalize(ticket("ticket-page-1.json", 0, t -> t.remove("sn"))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("has no sn");
        assertThatThrownBy(() -> normalizer.normalize(ticket("ticket-page-1.json", 0, t -> t.put("datetime", "20/05/2025"))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("202505200930150010001").hasMessageContaining("not yyyy-MM-dd HH:mm:ss");
        assertThatThrownBy(() -> normalizer.normalize(ticket("ticket-page-1.json", 0, t -> t.remove("totalAmount"))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("totalAmount");
        assertThatThrownBy(() -> normalizer.normalize(ticket("ticket-page-1.json", 0, t -> t.put("totalAmount", "abc"))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not a number");
    }
}
