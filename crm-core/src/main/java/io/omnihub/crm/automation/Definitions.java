package io.omnihub.crm.automation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The automation definitions in force: every rule, segment, journey and windowed trait, the task
 * assignment table and the RFM settings, from any number of files and API writes. Immutable; the engine swaps in a
 * new set atomically when definitions change.
 */
public final class Definitions {

    /** No definitions at all: the engine does nothing. */
    public static final Definitions NONE = new Builder().build();

    private final Map<String, RuleDefinition> rules;
    private final Map<String, SegmentDefinition> segments;
    private final Map<String, JourneyDefinition> journeys;
    private final Assignment assignment;
    private final RfmSettings rfm;
    private final Map<String, TraitDefinition> traits;

    private Definitions(Map<String, RuleDefinition> rules, Map<String, SegmentDefinition> segments,
                        Map<String, JourneyDefinition> journeys, Assignment assignment, RfmSettings rfm,
                        Map<String, TraitDefinition> traits) {
        this.traits = traits;
        this.rules = rules;
        this.segments = segments;
        this.journeys = journeys;
        this.assignment = assignment;
        this.rfm = rfm;
    }

    public Collection<RuleDefinition> rules() {
        return rules.values();
    }

    public Collection<SegmentDefinition> segments() {
        return segments.values();
    }

    public Collection<JourneyDefinition> journeys() {
        return journeys.values();
    }

    /** The windowed traits ({@code customer.traits.<id>}). */
    public Collection<TraitDefinition> traits() {
        return traits.values();
    }

    public Optional<TraitDefinition> trait(String id) {
        return Optional.ofNullable(traits.get(id));
    }

    public Optional<RuleDefinition> rule(String id) {
        return Optional.ofNullable(rules.get(id));
    }

    public Optional<SegmentDefinition> segment(String id) {
        return Optional.ofNullable(segments.get(id));
    }

    public Optional<JourneyDefinition> journey(String id) {
        return Optional.ofNullable(journeys.get(id));
    }

    public Assignment assignment() {
        return assignment;
    }

    public RfmSettings rfm() {
        return rfm;
    }

    /** Whether there is anything to evaluate for applied events. */
    public boolean isEmpty() {
        return rules.isEmpty() && segments.isEmpty() && journeys.isEmpty() && !rfm.enabled() && traits.isEmpty();
    }

    /**
     * Collects definition files and checks them together: ids unique per kind, journeys' segments
     * defined, one entry per key in the assignment table, RFM settings at most once.
     */
    public static final class Builder {
        private final Map<String, RuleDefinition> rules = new LinkedHashMap<>();
        private final Map<String, SegmentDefinition> segments = new LinkedHashMap<>();
        private final Map<String, JourneyDefinition> journeys = new LinkedHashMap<>();
        private final Map<String, TraitDefinition> traits = new LinkedHashMap<>();
        private final Map<String, Assignment.Assignee> regions = new LinkedHashMap<>();
        private final Map<String, Assignment.Assignee> stores = new LinkedHashMap<>();
        private final Map<String, Assignment.Assignee> sources = new LinkedHashMap<>();
        private final Map<String, String> assignmentKeySource = new LinkedHashMap<>();
        private Assignment.Assignee fallback;
        private String fallbackSource;
        private RfmSettings rfm;
        private String rfmSource;

        /**
         * Adds one file's definitions, all or none.
         *
         * @throws DefinitionException when an id or assignment key is taken by an earlier file
         */
        public Builder add(DefinitionFile file) {
            for (RuleDefinition r : file.rules()) {
                taken("rule", r.id(), rules.get(r.id()) == null ? null : rules.get(r.id()).location(), r.location());
            }
            for (SegmentDefinition s : file.segments()) {
                taken("segment", s.id(), segments.get(s.id()) == null ? null : segments.get(s.id()).location(), s.location());
            }
            for (JourneyDefinition j : file.journeys()) {
                taken("journey", j.id(), journeys.get(j.id()) == null ? null : journeys.get(j.id()).location(), j.location());
            }
            for (TraitDefinition t : file.traits()) {
                taken("trait", t.id(), traits.get(t.id()) == null ? null : traits.get(t.id()).location(), t.location());
            }
            checkUnique(file.traits().stream().map(TraitDefinition::id).toList(), "trait", file.source());
            checkUnique(file.rules().stream().map(RuleDefinition::id).toList(), "rule", file.source());
            checkUnique(file.segments().stream().map(SegmentDefinition::id).toList(), "segment", file.source());
            checkUnique(file.journeys().stream().map(JourneyDefinition::id).toList(), "journey", file.source());
            Assignment a = file.assignment();
            if (a != null) {
                checkKeys("regions", a.regions(), regions, file.source());
                checkKeys("stores", a.stores(), stores, file.source());
                checkKeys("sources", a.sources(), sources, file.source());
                if (a.fallback() != null && fallback != null) {
                    throw new DefinitionException(new Location(file.source(), 0),
                            "'assignment.fallback' is set already in " + fallbackSource);
                }
            }
            if (file.rfm() != null && rfm != null) {
                throw new DefinitionException(new Location(file.source(), 0), "'rfm' is set already in " + rfmSource);
            }
            file.rules().forEach(r -> rules.put(r.id(), r));
            file.segments().forEach(s -> segments.put(s.id(), s));
            file.journeys().forEach(j -> journeys.put(j.id(), j));
            file.traits().forEach(t -> traits.put(t.id(), t));
            if (a != null) {
                a.regions().forEach((k, v) -> assignmentKeySource.put("regions/" + k, file.source()));
                a.stores().forEach((k, v) -> assignmentKeySource.put("stores/" + k, file.source()));
                a.sources().forEach((k, v) -> assignmentKeySource.put("sources/" + k, file.source()));
                regions.putAll(a.regions());
                stores.putAll(a.stores());
                sources.putAll(a.sources());
                if (a.fallback() != null) {
                    fallback = a.fallback();
                    fallbackSource = file.source();
                }
            }
            if (file.rfm() != null) {
                rfm = file.rfm();
                rfmSource = file.source();
            }
            return this;
        }

        private static void taken(String kind, String id, Location earlier, Location now) {
            if (earlier != null) {
                throw new DefinitionException(now, kind + " '" + id + "' is defined already at " + earlier);
            }
        }

        private static void checkUnique(List<String> ids, String kind, String source) {
            List<String> seen = new ArrayList<>();
            for (String id : ids) {
                if (seen.contains(id)) {
                    throw new DefinitionException(new Location(source, 0), kind + " '" + id + "' is defined twice");
                }
                seen.add(id);
            }
        }

        private void checkKeys(String table, Map<String, Assignment.Assignee> added, Map<String, Assignment.Assignee> existing,
                               String source) {
            for (String key : added.keySet()) {
                if (existing.containsKey(key)) {
                    throw new DefinitionException(new Location(source, 0), "'assignment." + table + "." + key
                            + "' is set already in " + assignmentKeySource.get(table + "/" + key));
                }
            }
        }

        /**
         * The checked set.
         *
         * @throws DefinitionException at the first journey whose trigger names a segment nobody defines
         */
        public Definitions build() {
            for (JourneyDefinition j : journeys.values()) {
                String segment = j.trigger().segment();
                if (segment != null && !segments.containsKey(segment)) {
                    throw new DefinitionException(j.location(), "journey '" + j.id() + "' is triggered by segment '"
                            + segment + "', which is not defined");
                }
            }
            Assignment assignment = new Assignment(Map.copyOf(regions), Map.copyOf(stores), Map.copyOf(sources),
                    fallback != null ? fallback : Assignment.DEFAULT.fallback());
            return new Definitions(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rules)),
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(segments)),
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(journeys)),
                    assignment, rfm != null ? rfm : RfmSettings.DEFAULT,
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(traits)));
        }
    }
}
