package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Expressions that would take a node down (allocating without bound, scanning without end) are
 * refused when the definition is written; what slips through on inputs larger than foreseen is
 * stopped while it runs.
 */
class ExpressionLimitsTest {

    private static final Location WHERE = new Location("api:rules/r", 4);

    @Test
    void aReplaceThatInsertsTheInputIntoItselfIsRefusedWhenDefined() {
        assertThatThrownBy(() -> compile("event.message.text.replace('a', event.message.text).size() > 0"))
                .isInstanceOf(DefinitionException.class)
                .hasMessageStartingWith("api:rules/r:4: CEL expression")
                .hasMessageContaining("is refused: it can build a value of")
                .hasMessageContaining("replace() or join()");
    }

    @Test
    void aChainOfReplacesGrowingTheTextTenfoldEachIsRefusedAndAModestOneIsNot() {
        compile("event.message.text.replace('a', 'bb').replace('c', 'dd').contains('x')");

        assertThatThrownBy(() -> compile("event.message.text.replace('a', 'aaaaaaaaaa').replace('a', 'aaaaaaaaaa')"
                + ".replace('a', 'aaaaaaaaaa') == ''"))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("is refused");
    }

    @Test
    void aJoinWithASeparatorFromTheInputIsRefused() {
        assertThatThrownBy(() -> compile("event.extra.tags.join(event.message.text) != ''"))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("is refused");
    }

    @Test
    void scanningTheInputOncePerElementOfAListIsRefused() {
        assertThatThrownBy(() -> compile("event.extra.tags.exists(t, event.message.text.contains(t))"))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("steps on large inputs");
    }

    @Test
    void copyingTheInputOncePerElementIsRefused() {
        assertThatThrownBy(() -> compile("event.extra.tags.map(t, t + event.message.text).size() > 0"))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("is refused");
    }

    @Test
    void theExpressionsDefinitionsUseAreFarBelowTheBounds() {
        for (String source : List.of(
                "has(event.order) && event.order.currency == 'CNY' && event.order.totalMinor >= 100000",
                "'VIP' in customer.tags && customer.scores[?'churn_risk'].orValue(0) > 80",
                "event.extra[?'satisfaction'].orValue(0) == 5",
                "event.order.lines.exists(l, l.sku.startsWith('RUN-')) && event.order.lines.map(l, l.quantity).size() > 2",
                "event.order.lines.filter(l, l.sku in ['A', 'B']).size() >= 1",
                "event.message.text.lowerAscii().contains('退货')",
                "string(event.order.totalMinor / 100) + ' 元'")) {
            assertThat(compile(source).source()).isEqualTo(source);
        }
    }

    @Test
    void anExpressionLongerThanTheLimitIsRefused() {
        String longOne = "event.type == '" + "x".repeat(ExpressionLanguage.MAX_SOURCE) + "'";

        assertThatThrownBy(() -> compile(longOne)).isInstanceOf(DefinitionException.class).hasMessageContaining("does not compile");
    }

    @Test
    void anEvaluationOverItsBudgetOnAnInputLargerThanForeseenIsStoppedAndCountsAsFalse() {
        Expression doubling = compile("(event.message.text + event.message.text).size() > 0");
        Map<String, Object> huge = Map.of("message", Map.of("text", "x".repeat(6_000_000)));
        Map<String, Object> small = Map.of("message", Map.of("text", "hello"));

        assertThatThrownBy(() -> doubling.evaluate(Map.of("event", huge, "customer", Map.of(), "now", java.time.Instant.now())))
                .isInstanceOf(Expression.EvaluationException.class).hasMessageContaining("evaluation stopped");
        assertThat(doubling.test(Map.of("event", huge, "customer", Map.of(), "now", java.time.Instant.now()))).isFalse();
        assertThat(doubling.test(Map.of("event", small, "customer", Map.of(), "now", java.time.Instant.now()))).isTrue();
    }

    @Test
    void aYamlAliasBombIsRefusedBeforeAnythingWalksIt() {
        StringBuilder yaml = new StringBuilder("rules: []\nbomb:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int level = 1; level <= 5; level++) {
            yaml.append("  l").append(level).append(": &l").append(level).append(" [");
            for (int i = 0; i < 9; i++) {
                yaml.append(i == 0 ? "" : ", ").append("*l").append(level - 1);
            }
            yaml.append("]\n");
        }

        assertThatThrownBy(() -> DefinitionParser.parseFile("bomb.yaml", yaml.toString()))
                .isInstanceOf(DefinitionException.class)
                .hasMessageStartingWith("bomb.yaml:")
                .hasMessageContaining("expands to").hasMessageContaining("aliases");
    }

    @Test
    void aFewAliasesInAnOrdinaryDefinitionAreFine() {
        DefinitionFile file = DefinitionParser.parseFile("aliases.yaml", """
                rules:
                  - id: vip
                    on: order.paid
                    when: "customer.orders.count > 3"
                    then: &tagging [ { tag: VIP }, { score: { name: loyalty, add: 10 } } ]
                  - id: big
                    on: order.paid
                    when: "event.order.totalMinor > 100000"
                    then: *tagging
                """);

        assertThat(file.rules()).hasSize(2);
    }

    private static Expression compile(String source) {
        return ExpressionLanguage.get().compile(source, ExpressionLanguage.Scope.EVENT, WHERE);
    }
}
