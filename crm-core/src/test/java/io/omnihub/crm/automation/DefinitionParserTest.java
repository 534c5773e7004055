package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {

    @Test
    void aJourneyParsesWithItsStepsTriggerAndExits() {
        DefinitionFile file = DefinitionParser.parseFile("j.yaml", """
                journeys:
                  - id: cart
                    trigger: { event: cart.updated, when: "event.order.totalMinor > 1" }
                    exit-on: [order.paid, { event: order.cancelled, when: "true" }]
                    steps:
                      - wait: 1d12h
                      - id: maybe
                        branch: { if: "true", then: done }
                      - id: hello
                        if: "has(customer.attributes.name)"
                        tag: [a, "b-{{ trigger.type }}"]
                      - id: done
                        exit: true
                """);

        JourneyDefinition j = file.journeys().get(0);
        assertThat(j.steps()).extracting(JourneyDefinition.Step::id).containsExactly("step-1", "maybe", "hello", "done");
        assertThat(((JourneyDefinition.Wait) j.steps().get(0)).duration()).isEqualTo(Duration.ofHours(36));
        assertThat(j.exitOn()).extracting(EventMatch::type).containsExactly("order.paid", "order.cancelled");
        assertThat(j.trigger().eventType()).isEqualTo("cart.updated");
        assertThat(j.version()).hasSize(16);
        assertThat(j.location()).isEqualTo(new Location("j.yaml", 2));
        // the stored canonical form parses to the same version
        assertThat(DefinitionParser.journeyFromCanonical("cart", j.canonical()).version()).isEqualTo(j.version());
    }

    @Test
    void aJourneyMayNameAGoalThatItsStoredVersionKeeps() {
        JourneyDefinition j = DefinitionParser.parseFile("j.yaml", """
                journeys:
                  - id: winback
                    trigger: { event: cart.updated }
                    goal: { event: order.paid, within: 7d }
                    steps: [ { wait: 1h } ]
                """).journeys().get(0);

        assertThat(j.goal()).isEqualTo(new JourneyDefinition.Goal("order.paid", Duration.ofDays(7)));
        assertThat(DefinitionParser.journeyFromCanonical("winback", j.canonical()).goal()).isEqualTo(j.goal());
        assertThat(DefinitionParser.parseFile("k.yaml", """
                journeys:
                  - id: plain
                    trigger: { event: cart.updated }
                    steps: [ { wait: 1h } ]
                """).journeys().get(0).goal()).isNull();
    }

    @Test
    void aGoalWithoutATimeOrWithABadEventIsRefused() {
        assertThatThrownBy(() -> DefinitionParser.parseFile("j.yaml", """
                journeys:
                  - id: winback
                    trigger: { event: cart.updated }
                    goal: { event: order.paid }
                    steps: [ { wait: 1h } ]
                """)).isInstanceOf(DefinitionException.class).hasMessageContaining("within");
        assertThatThrownBy(() -> DefinitionParser.parseFile("j.yaml", """
                journeys:
                  - id: winback
                    trigger: { event: cart.updated }
                    goal: { event: "Order Paid", within: 7d }
                    steps: [ { wait: 1h } ]
                """)).isInstanceOf(DefinitionException.class).hasMessageContaining("'Order Paid' is not an event type");
    }

    @Test
    void aTypoInAFieldNameIsRefusedWithTheFileAndLine() {
        assertThatThrownBy(() -> DefinitionParser.parseFile("examples/cart.yaml", """
                journeys:
                  - id: cart
                    tirgger: { event: cart.updated }
                    steps: [ { wait: 1h } ]
                """))
                .isInstanceOf(DefinitionException.class)
                .hasMessage("examples/cart.yaml:3: unknown field 'tirgger' in journey 'cart' (did you mean 'trigger'?)");
    }

    @Test
    void anExpressionThatDoesNotCompileIsRefusedWithItsLine() {
        assertThatThrownBy(() -> DefinitionParser.parseFile("rules.yaml", """
                rules:
                  - id: vip
                    on: order.paid
                    when: "customer.orders.count >"
                    then: [ { tag: VIP } ]
                """))
                .isInstanceOf(DefinitionException.class)
                .hasMessageStartingWith("rules.yaml:4: CEL expression 'customer.orders.count >' does not compile");
    }

    @Test
    void aSegmentCannotReadTheEvent() {
        assertThatThrownBy(() -> DefinitionParser.parseFile("s.yaml", """
                segments:
                  - id: s
                    when: "event.type == 'x'"
                """))
                .hasMessageContaining("s.yaml:3")
                .hasMessageContaining("undeclared reference to 'event'")
                .hasMessageContaining("variables here: customer, now");
    }

    @Test
    void commonMistakesAreNamed() {
        assertThatThrownBy(() -> parse("journeys: [ { id: j, trigger: { event: x.y }, steps: [ { wait: soon } ] } ]"))
                .hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> parse("journeys: [ { id: j, trigger: { event: x.y }, steps: [ { branch: { if: 'true', then: nowhere } } ] } ]"))
                .hasMessageContaining("goes to 'nowhere', which is not a step of it");
        assertThatThrownBy(() -> parse("journeys: [ { id: j, trigger: { event: OrderPaid }, steps: [ { wait: 1h } ] } ]"))
                .hasMessageContaining("'OrderPaid' is not an event type");
        assertThatThrownBy(() -> parse("journeys: [ { id: j, trigger: { event: x.y, segment: s }, steps: [ { wait: 1h } ] } ]"))
                .hasMessageContaining("needs either 'event' or 'segment'");
        assertThatThrownBy(() -> parse("journeys: [ { id: j, trigger: { event: x.y }, steps: [ { wait: 1h, tag: x } ] } ]"))
                .hasMessageContaining("needs exactly one of");
        assertThatThrownBy(() -> parse("rules: [ { id: Bad Id, then: [ { tag: x } ] } ]"))
                .hasMessageContaining("'Bad Id' is not a valid id");
        assertThatThrownBy(() -> parse("rules: [ { id: r } ]")).hasMessageContaining("rule 'r' needs 'then'");
        assertThatThrownBy(() -> parse("rules: [ { id: r, then: [ { task: { title: t } } ] } ]"))
                .hasMessageContaining("needs either 'assign-by'");
        assertThatThrownBy(() -> parse("rules: [ { id: r, then: [ { score: { name: s, add: 1, set: 2 } } ] } ]"))
                .hasMessageContaining("needs either 'add' or 'set'");
        assertThatThrownBy(() -> parse("rules: [ { id: r, then: [ { tag: \"{{ event.x \" } ] } ]"))
                .hasMessageContaining("without a closing '}}'");
        assertThatThrownBy(() -> parse("rules:\n  - id: r\n    id: s\n")).hasMessageContaining("t.yaml:3: field 'id' appears twice");
        assertThatThrownBy(() -> parse("rules: [ { id: r, then: [ { tag: x } ] }\n")).hasMessageContaining("t.yaml:2: not valid YAML");
        assertThatThrownBy(() -> parse("rfm: { frequency: [1, 2, 2, 3] }")).hasMessageContaining("'frequency' must ascend");
    }

    @Test
    void idsAreUniqueAcrossFilesAndJourneysNeedTheirSegment() {
        DefinitionFile a = DefinitionParser.parseFile("a.yaml", "rules: [ { id: r, then: [ { tag: x } ] } ]");
        DefinitionFile b = DefinitionParser.parseFile("b.yaml", "\nrules: [ { id: r, then: [ { tag: y } ] } ]");
        assertThatThrownBy(() -> new Definitions.Builder().add(a).add(b))
                .hasMessage("b.yaml:2: rule 'r' is defined already at a.yaml:1");

        DefinitionFile j = DefinitionParser.parseFile("j.yaml", "journeys: [ { id: j, trigger: { segment: vip }, steps: [ { wait: 1h } ] } ]");
        assertThatThrownBy(() -> new Definitions.Builder().add(j).build())
                .hasMessageContaining("j.yaml:1: journey 'j' is triggered by segment 'vip', which is not defined");
    }

    @Test
    void aDefinitionOverTheApiTakesItsIdFromThePath() {
        DefinitionFile one = DefinitionParser.parseOne(DefinitionParser.Kind.SEGMENT, "big", "when: \"customer.orders.count > 10\"");
        assertThat(one.segments()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo("big");
            assertThat(s.location().source()).isEqualTo("api:segments/big");
        });
        assertThatThrownBy(() -> DefinitionParser.parseOne(DefinitionParser.Kind.SEGMENT, "big", "{\"id\": \"small\", \"when\": \"true\"}"))
                .hasMessageContaining("id in the body must be 'big'");
    }

    @Test
    void templatesKeepTheTypeOfASingleExpression() {
        Template number = Template.parse("{{ 1 + 2 }}", ExpressionLanguage.Scope.CUSTOMER, new Location("t", 1));
        Template text = Template.parse("n = {{ 1 + 2 }}, half = {{ 3.0 / 2.0 }}", ExpressionLanguage.Scope.CUSTOMER, new Location("t", 1));

        assertThat(number.render(java.util.Map.of())).isEqualTo(3L);
        assertThat(text.render(java.util.Map.of())).isEqualTo("n = 3, half = 1.5");
    }

    private static DefinitionFile parse(String yaml) {
        return DefinitionParser.parseFile("t.yaml", yaml);
    }
}
