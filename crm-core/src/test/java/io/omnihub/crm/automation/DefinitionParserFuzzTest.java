package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz test of definition parsing, which reads YAML from the definitions folder and from the API:
 * any text is a set of definitions or a {@link DefinitionException} naming where and what is wrong,
 * never another exception. See docs/fuzzing.md for running it longer.
 */
class DefinitionParserFuzzTest {

    @FuzzTest
    void anyYamlIsDefinitionsOrADefinitionException(byte[] yaml) {
        String text = new String(yaml, StandardCharsets.UTF_8);
        try {
            DefinitionFile file = DefinitionParser.parseFile("fuzz.yaml", text);
            assertThat(file).isNotNull();
        } catch (DefinitionException refused) {
            assertThat(refused.getMessage()).contains("fuzz.yaml");
        }
        try {
            DefinitionParser.parseOne(DefinitionParser.Kind.RULE, "fuzz-rule", text);
        } catch (DefinitionException refused) {
            assertThat(refused.getMessage()).contains("fuzz-rule");
        }
    }
}
