package io.omnihub.hub.plugins;

import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.testsupport.QuietInstance;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test connector whose channel is unreachable for its first {@code failures} opens (none: it always
 * opens), with a {@code region} setting its schema restricts; {@link #attempts} records each open.
 */
final class FlakyConnector implements ChannelConnector {
    private final int failures;
    final List<Long> attempts = new CopyOnWriteArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();

    FlakyConnector(int failures) {
        this.failures = failures;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor("flaky", "Flaky", "1.0.0", "test", Set.of(),
                "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
                        + "\"properties\":{\"region\":{\"type\":\"string\",\"enum\":[\"cn\",\"eu\"]}},"
                        + "\"required\":[\"region\"],\"additionalProperties\":false}");
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        attempts.add(System.nanoTime() / 1_000_000);
        if (opened.incrementAndGet() <= failures) {
            throw new IllegalStateException("channel not reachable yet");
        }
        return new QuietInstance();
    }

    List<Long> waits() {
        List<Long> waits = new java.util.ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            waits.add(attempts.get(i) - attempts.get(i - 1));
        }
        return waits;
    }
}
