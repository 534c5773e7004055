package io.omnihub.crm.automation;

import java.util.List;

/**
 * What one definitions file (or one definition written over the API) holds.
 *
 * @param source     the file relative to the definitions folder, or {@code api:<kind>/<id>}
 * @param rules      its rules
 * @param segments   its segments
 * @param journeys   its journeys
 * @param assignment its task assignment table, or null
 * @param rfm        its RFM settings, or null
 * @param traits     its windowed traits
 */
public record DefinitionFile(String source, List<RuleDefinition> rules, List<SegmentDefinition> segments,
                             List<JourneyDefinition> journeys, Assignment assignment, RfmSettings rfm, List<TraitDefinition> traits) {

    public DefinitionFile {
        rules = List.copyOf(rules);
        segments = List.copyOf(segments);
        journeys = List.copyOf(journeys);
        traits = List.copyOf(traits);
    }

    /** A file without traits. */
    public DefinitionFile(String source, List<RuleDefinition> rules, List<SegmentDefinition> segments,
                          List<JourneyDefinition> journeys, Assignment assignment, RfmSettings rfm) {
        this(source, rules, segments, journeys, assignment, rfm, List.of());
    }

    public boolean isEmpty() {
        return rules.isEmpty() && segments.isEmpty() && journeys.isEmpty() && assignment == null && rfm == null && traits.isEmpty();
    }
}
