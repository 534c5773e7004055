package io.omnihub.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Answers computed from the simulated channels' state (the TMC queue, the trades of the day, the
 * tickets in the till): a WireMock extension that stubs name with {@link #by}. Static answers stay
 * plain WireMock stubs.
 */
final class Answers implements ResponseDefinitionTransformerV2 {

    private static final String NAME = "omnihub-demo-answers";
    private static final String PARAMETER = "answer";

    private final Map<String, Function<Request, ResponseDefinitionBuilder>> answers = new ConcurrentHashMap<>();

    /** Registers {@code answer} as {@code name}. */
    void register(String name, Function<Request, ResponseDefinitionBuilder> answer) {
        answers.put(name, answer);
    }

    /** A response that {@code name}'s registered function computes for each request. */
    static ResponseDefinitionBuilder by(String name) {
        return aResponse().withTransformers(NAME).withTransformerParameter(PARAMETER, name);
    }

    /** JSON with status 200, as the channels answer. */
    static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        String name = serveEvent.getResponseDefinition().getTransformerParameters().getString(PARAMETER);
        Function<Request, ResponseDefinitionBuilder> answer = answers.get(name);
        if (answer == null) {
            return aResponse().withStatus(500).withBody("no simulated answer '" + name + "'").build();
        }
        try {
            return answer.apply(serveEvent.getRequest()).build();
        } catch (RuntimeException e) {
            Log.line("the simulated " + name + " could not answer " + serveEvent.getRequest().getUrl() + ": " + e);
            return aResponse().withStatus(500).withBody(String.valueOf(e.getMessage())).build();
        }
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
