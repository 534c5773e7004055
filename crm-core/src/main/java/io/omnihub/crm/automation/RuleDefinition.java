package io.omnihub.crm.automation;

import java.util.List;
import java.util.Set;

/**
 * An IF-THEN rule: for every applied event of one of the types {@code on} (every event when empty)
 * whose condition holds, the actions run, in order, in the event's transaction. Tag and score rules
 * are rules whose actions are {@code tag} and {@code score}.
 *
 * @param id          unique among rules
 * @param description what it is for, for people
 * @param on          event types it listens to; empty for every type
 * @param when        the condition (scope {@link ExpressionLanguage.Scope#EVENT}); null means always
 * @param then        what to do
 * @param location    where it is defined
 */
public record RuleDefinition(String id, String description, Set<String> on, Expression when, List<ActionSpec> then,
                             Location location) {

    public boolean listensTo(String eventType) {
        return on.isEmpty() || on.contains(eventType);
    }
}
