package io.omnihub.crm.automation;

import io.omnihub.connector.event.CustomerEvent;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The variables conditions and templates see during one run: the customer, now, the event and a journey's trigger. */
final class CelVariables {

    private final Instant now;
    // Events are immutable: each one's CEL view is built once per run, however many conditions read it.
    private final Map<CustomerEvent, Map<String, Object>> eventViews = new IdentityHashMap<>();

    CelVariables(Instant now) {
        this.now = now;
    }

    /** The variables for {@code f}, with {@code event} and {@code trigger} when they are not null. */
    Map<String, Object> of(CustomerFacts f, CustomerEvent event, CustomerEvent trigger) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put(ExpressionLanguage.CUSTOMER, f.toCel());
        vars.put(ExpressionLanguage.NOW, now);
        if (event != null) {
            vars.put(ExpressionLanguage.EVENT, cel(event));
        }
        if (trigger != null) {
            vars.put(ExpressionLanguage.TRIGGER, cel(trigger));
        }
        return vars;
    }

    private Map<String, Object> cel(CustomerEvent event) {
        return eventViews.computeIfAbsent(event, e -> Collections.unmodifiableMap(CelValues.event(e)));
    }
}
