package io.omnihub.hub.connectors;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.event.Enricher;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.routes.InstanceUnavailableException;
import io.omnihub.testsupport.QuietInstance;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class GatedInstanceTest {

    private static final OutboundAction ACTION = new OutboundAction("a-1", "message", null, null);

    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** A method the SDK adds to an instance's parts later must pass the gate too, not skip it through a default. */
    @Test
    void everyMethodOfTheInstanceAndItsPartsIsForwardedThroughTheGate() {
        List<String> missing = new ArrayList<>();
        missing.addAll(notOverridden(GatedInstance.class, ConnectorInstance.class));
        for (Class<?> part : GatedInstance.class.getDeclaredClasses()) {
            for (Class<?> api : part.getInterfaces()) {
                missing.addAll(notOverridden(part, api));
            }
        }
        assertThat(missing).isEmpty();
        assertThat(Arrays.stream(GatedInstance.class.getDeclaredClasses()).flatMap(c -> Arrays.stream(c.getInterfaces())))
                .containsExactlyInAnyOrder(Poller.class, Enricher.class, ActionSender.class);
        // The webhook handler and the normalizer are wrapped as lambdas: they must stay single-method.
        assertThat(instanceMethods(WebhookHandler.class)).hasSize(1);
        assertThat(instanceMethods(Normalizer.class)).hasSize(1);
    }

    @Test
    void aConfigurationRefusalFromACallInProgressWhenTheGateShutIsTheInstanceClosingNotItsConfiguration() throws Exception {
        GatedInstance gated = new GatedInstance("sms", "one", refusingSender());
        ActionSender sender = gated.actions().orElseThrow();
        CompletableFuture<ActionResult> inProgress = CompletableFuture.supplyAsync(() -> sender.send(ACTION));
        assertThat(started.await(10, SECONDS)).isTrue();

        gated.refuseCalls();
        release.countDown();

        assertThatThrownBy(() -> inProgress.get(10, SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(InstanceUnavailableException.class)
                .hasMessageContaining("sms/one closed while the channel refused its configuration: credentials revoked")
                .hasCauseInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> sender.send(ACTION)).isInstanceOf(InstanceUnavailableException.class)
                .hasMessageContaining("sms/one is closing");
    }

    @Test
    void aConfigurationRefusalOfAnOpenInstanceStaysARefusal() {
        GatedInstance gated = new GatedInstance("sms", "one", refusingSender());
        release.countDown();

        assertThatThrownBy(() -> gated.actions().orElseThrow().send(ACTION))
                .isExactlyInstanceOf(ConfigException.class)
                .hasMessage("credentials revoked");
    }

    private ConnectorInstance refusingSender() {
        ActionSender sender = new ActionSender() {
            @Override
            public Set<String> kinds() {
                return Set.of("message");
            }

            @Override
            public ActionResult send(OutboundAction action) {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new ConfigException("credentials revoked");
            }
        };
        return new QuietInstance() {
            @Override
            public Optional<ActionSender> actions() {
                return Optional.of(sender);
            }
        };
    }

    private static List<String> notOverridden(Class<?> wrapper, Class<?> api) {
        List<String> missing = new ArrayList<>();
        for (Method method : instanceMethods(api)) {
            try {
                wrapper.getDeclaredMethod(method.getName(), method.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(wrapper.getSimpleName() + " does not forward " + api.getSimpleName() + "." + method.getName());
            }
        }
        return missing;
    }

    private static List<Method> instanceMethods(Class<?> api) {
        return Arrays.stream(api.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers())).toList();
    }
}
