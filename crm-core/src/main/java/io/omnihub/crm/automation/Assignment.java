package io.omnihub.crm.automation;

import java.util.Map;
import java.util.Optional;

/**
 * Who gets tasks: by region (salespeople), by store (store staff), by lead source; each with a
 * manager tasks are escalated to. A key with no entry falls back to {@code fallback}.
 */
public record Assignment(Map<String, Assignee> regions, Map<String, Assignee> stores, Map<String, Assignee> sources,
                         Assignee fallback) {

    /** Nobody configured: tasks go to {@code crm-team}, escalations to {@code crm-manager}. */
    public static final Assignment DEFAULT = new Assignment(Map.of(), Map.of(), Map.of(), new Assignee("crm-team", "crm-manager"));

    /**
     * @param assignee who does the task
     * @param manager  who gets it when it is not done in time (may be null)
     */
    public record Assignee(String assignee, String manager) {
    }

    /** The entry for {@code key} in the table {@code by} ({@code region}, {@code store}, {@code source}). */
    public Optional<Assignee> find(String by, String key) {
        if (key == null) {
            return Optional.empty();
        }
        Map<String, Assignee> table = switch (by) {
            case "region" -> regions;
            case "store" -> stores;
            case "source" -> sources;
            default -> Map.of();
        };
        return Optional.ofNullable(table.get(key));
    }
}
