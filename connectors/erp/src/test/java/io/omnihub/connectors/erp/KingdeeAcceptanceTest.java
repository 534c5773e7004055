package io.omnihub.connectors.erp;

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OmniHub acceptance suite for the Kingdee connector; one subclass per login mode, each with
 * WireMock speaking that mode's protocol. The records are rows as the poller writes them, from the
 * files under {@code kingdee/records/}.
 */
abstract class KingdeeAcceptanceTest extends ConnectorAcceptanceTest {

    @Override
    protected ChannelConnector connector() {
        return new ErpConnector();
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        return Set.of("password", "app-secret");
    }

    @Override
    protected List<RawRecord> recordSamples(Map<String, String> config, Instant now) {
        return List.of(
                KingdeeFixtures.record("BD_Customer", "customer-mobile.json", now),
                KingdeeFixtures.record("BD_Customer", "customer-landline.json", now),
                KingdeeFixtures.record("SAL_SaleOrder", "order-created.json", now),
                KingdeeFixtures.record("SAL_SaleOrder", "order-cancelled.json", now),
                KingdeeFixtures.record("SAL_SaleOrder", "order-closed-usd.json", now));
    }
}
