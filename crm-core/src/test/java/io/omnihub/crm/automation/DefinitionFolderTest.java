package io.omnihub.crm.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionFolderTest extends AutomationTestBase {

    @TempDir
    Path dir;

    static final String JOURNEY = """
            journeys:
              - id: later
                trigger: { event: customer.followed }
                steps:
                  - id: pause
                    wait: 1h
                  - id: mark
                    tag: waited
            """;

    @Test
    void filesAreLoadedAtStartAndAgainWhenTheyChange() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "rules: [ { id: r1, then: [ { tag: one } ] } ]");
        DefinitionFolder folder = new DefinitionFolder(dir, new DefinitionStore(ds, clock), automation);

        assertThat(folder.refresh()).isTrue();
        assertThat(automation.definitions().rules()).extracting(RuleDefinition::id).containsExactly("r1");
        assertThat(folder.refresh()).isFalse();

        Files.createDirectories(dir.resolve("more"));
        Files.writeString(dir.resolve("more/b.yml"), "rules: [ { id: r2, then: [ { tag: two } ] } ]");
        assertThat(folder.refresh()).isTrue();
        assertThat(automation.definitions().rules()).extracting(RuleDefinition::id).containsExactly("r1", "r2");

        Files.delete(dir.resolve("a.yaml"));
        assertThat(folder.refresh()).isTrue();
        assertThat(automation.definitions().rules()).extracting(RuleDefinition::id).containsExactly("r2");
        assertThat(folder.status()).extracting(DefinitionFolder.SourceStatus::source).containsExactly("more/b.yml");
    }

    @Test
    void aBadEditIsRefusedWithFileAndLineAndTheRunningJourneyIsNotDisturbed() throws Exception {
        Path file = dir.resolve("later.yaml");
        Files.writeString(file, JOURNEY);
        DefinitionFolder folder = new DefinitionFolder(dir, null, automation);
        folder.refresh();
        String customer = customerOf(apply(event("customer.followed", "o-f").build()));

        Files.writeString(file, JOURNEY.replace("wait: 1h", "wait: 1 hour"));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThat(folder.refresh()).isTrue();

        assertThat(folder.status()).singleElement().satisfies(s -> {
            assertThat(s.loaded()).isTrue();
            assertThat(s.error()).startsWith("later.yaml:6: '1 hour' is not a duration").endsWith("(the previous version stays in force)");
        });
        assertThat(automation.definitions().journey("later")).isPresent();
        advance(Duration.ofHours(1));
        fireTimers();
        assertThat(core.customer(customer).orElseThrow().tags()).containsExactly("waited");
    }

    @Test
    void aNewBadFileIsNotLoadedAndTheOthersAre() throws Exception {
        Files.writeString(dir.resolve("good.yaml"), "segments: [ { id: big, when: \"customer.orders.count > 3\" } ]");
        Files.writeString(dir.resolve("z-clash.yaml"), "segments: [ { id: big, when: \"true\" } ]");
        Files.writeString(dir.resolve("orphan.yaml"), "journeys: [ { id: j, trigger: { segment: nobody }, steps: [ { wait: 1h } ] } ]");
        Files.writeString(dir.resolve(".hidden.yaml"), "this is: [ not read");
        DefinitionFolder folder = new DefinitionFolder(dir, null, automation);
        folder.refresh();

        assertThat(automation.definitions().segments()).extracting(SegmentDefinition::id).containsExactly("big");
        assertThat(automation.definitions().journeys()).isEmpty();
        assertThat(folder.status()).extracting(DefinitionFolder.SourceStatus::source, DefinitionFolder.SourceStatus::loaded)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("good.yaml", true), org.assertj.core.groups.Tuple.tuple("orphan.yaml", false),
                        org.assertj.core.groups.Tuple.tuple("z-clash.yaml", false));
        assertThat(folder.status().get(2).error()).isEqualTo("z-clash.yaml:1: segment 'big' is defined already at good.yaml:1");
        assertThat(folder.status().get(1).error()).contains("segment 'nobody', which is not defined");

        // a file loaded before keeps its ids when a newcomer (earlier in path order) clashes with it
        Files.writeString(dir.resolve("a-newcomer.yaml"), "segments: [ { id: big, when: \"false\" } ]");
        folder.refresh();
        assertThat(folder.status().get(0).error()).isEqualTo("a-newcomer.yaml:1: segment 'big' is defined already at good.yaml:1");
    }

    @Test
    void apiDefinitionsAreCheckedAgainstTheFilesAndSharedThroughTheDatabase() throws Exception {
        Files.writeString(dir.resolve("s.yaml"), "segments: [ { id: big, when: \"customer.orders.count > 3\" } ]");
        DefinitionStore store = new DefinitionStore(ds, clock);
        DefinitionFolder folder = new DefinitionFolder(dir, store, automation);
        folder.refresh();

        assertThatThrownBy(() -> folder.check(DefinitionParser.Kind.SEGMENT, "big", "when: 'true'"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("defined in file s.yaml");
        assertThatThrownBy(() -> folder.check(DefinitionParser.Kind.JOURNEY, "j", "trigger: { segment: small }\nsteps: [ { wait: 1h } ]"))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("segment 'small', which is not defined");
        String journey = "trigger: { segment: big }\nsteps: [ { id: t, tag: big-spender } ]";
        folder.check(DefinitionParser.Kind.JOURNEY, "j", journey);
        store.put(DefinitionParser.Kind.JOURNEY, "j", journey, "admin");

        // another node on the same database sees it at its next look
        Automation otherNode = new Automation(ds, clock, guards());
        DefinitionFolder otherFolder = new DefinitionFolder(dir, store, otherNode);
        otherFolder.refresh();
        assertThat(otherNode.definitions().journey("j")).isPresent();
        assertThat(folder.refresh()).isTrue();
        assertThat(automation.definitions().journey("j")).isPresent();
        assertThat(folder.status()).extracting(DefinitionFolder.SourceStatus::source).containsExactly("s.yaml", "api:journeys/j");

        assertThat(store.delete(DefinitionParser.Kind.JOURNEY, "j")).isTrue();
        assertThat(otherFolder.refresh()).isTrue();
        assertThat(otherNode.definitions().journey("j")).isEmpty();
    }

    @Test
    void theShippedExamplesLoadWithoutProblems() {
        DefinitionFolder folder = new DefinitionFolder(Path.of("..", "automation"), null, automation);
        folder.refresh();

        assertThat(folder.status()).isNotEmpty().allSatisfy(s -> assertThat(s.error()).as(s.source()).isNull());
        assertThat(automation.definitions().journeys()).extracting(JourneyDefinition::id)
                .contains("cart-abandonment", "web-lead", "happy-customer-review", "vip-retention");
    }
}
