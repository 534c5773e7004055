package io.omnihub.testsupport;

import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.event.Normalizer;
import java.util.List;

/**
 * A connector instance for tests of the hub's own machinery: it turns every record into no event and
 * always passes its check. A test overrides the parts it exercises (its webhook, poller or sender).
 */
public class QuietInstance implements ConnectorInstance {

    @Override
    public Normalizer normalizer() {
        return record -> List.of();
    }

    @Override
    public CheckResult check() {
        return CheckResult.ok("fine");
    }
}
