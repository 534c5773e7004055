package io.omnihub.connectors.erp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.erp.KingdeeFixtures.PASSWORD;
import static io.omnihub.connectors.erp.KingdeeStubs.loginOk;
import static io.omnihub.connectors.erp.KingdeeStubs.query;
import static io.omnihub.connectors.erp.KingdeeStubs.save;
import static io.omnihub.connectors.erp.KingdeeStubs.validateUser;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.source.Poller;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testkit.hostile.HostileChecks;
import io.omnihub.testkit.hostile.HostileCorpus;
import io.omnihub.testkit.hostile.HostileInput;
import io.omnihub.testkit.hostile.Observation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus of {@code kingdee/hostile/}: customer and sales-order rows with ids, dates,
 * amounts and currencies of the wrong kind and size, whole ExecuteBillQuery answers (error pages,
 * truncated, deep and foreign JSON, failed statuses), login answers and Save answers, each served
 * by WireMock standing in for K/3 Cloud and taken through the real poller and normalizer (or action
 * sender), with the outcome its {@code outcomes.tsv} states.
 *
 * <p>Deliveries: {@code customer}/{@code order} the file as the one row of a query answer;
 * {@code customers}/{@code orders} the file as the whole answer; {@code login} the file as the
 * password login's answer before a good customer query; {@code save} the file as the answer to a
 * customer Save action. {@code :<status>} serves it with that HTTP status.
 */
class KingdeeHostileInputTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static List<HostileInput> corpus() {
        return HostileCorpus.load(KingdeeHostileInputTest.class, "/kingdee/hostile");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileInputHasTheOutcomeAUserExpects(HostileInput input) {
        wm.resetAll();
        String[] delivery = input.delivery().split(":");
        ResponseDefinitionBuilder served = aResponse().withStatus(delivery.length > 1 ? Integer.parseInt(delivery[1]) : 200)
                .withHeader("Content-Type", "application/json;charset=UTF-8").withBody(input.bytes());
        String kind = delivery[0];
        boolean orders = kind.startsWith("order");
        String form = orders ? "SAL_SaleOrder" : "BD_Customer";
        wm.stubFor(validateUser().willReturn(kind.equals("login") ? served : loginOk()));
        wm.stubFor(query(form).willReturn(switch (kind) {
            case "customer", "order" -> okJson("[" + input.text() + "]");
            case "customers", "orders" -> served;
            case "save" -> okJson("[]");
            default -> okJson("[" + KingdeeFixtures.text("hostile/customer-ok.json") + "]");
        }));
        wm.stubFor(save("BD_Customer").willReturn(served));
        if (orders) {
            // The hostile row is the order's header; its lines are asked for by a query of their own.
            wm.stubFor(query(form).withRequestBody(containing(KingdeeForm.LINE_ID)).atPriority(1).willReturn(okJson("[]")));
        }

        Map<String, String> config = KingdeeFixtures.passwordConfig(wm.baseUrl());
        config.put(KingdeeConfig.POLL_FORMS, form);
        TestConnectorContext ctx = KingdeeFixtures.context(config);
        ConnectorInstance instance = new ErpConnector().open(ctx);

        if (kind.equals("save")) {
            OutboundAction action = new OutboundAction("journey-7:step-2:cust-42", KingdeeActionSender.CUSTOMER_SAVE, null,
                    Map.of("name", "王小明", "phone", "+8613912345678"));
            HostileChecks.expect(input, () -> Observation.ofCall(() -> instance.actions().orElseThrow().send(action)),
                    List.of(PASSWORD), ctx::logLines);
            return;
        }
        Poller poller = instance.poller().orElseThrow();
        HostileChecks.expect(input, () -> Observation.ofSource(() -> poller.poll(Optional.empty()).records(),
                instance.normalizer(), ctx.connectorId(), ctx.instanceId()), List.of(PASSWORD), ctx::logLines);
    }
}
