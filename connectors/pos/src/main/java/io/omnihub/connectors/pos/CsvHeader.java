package io.omnihub.connectors.pos;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A CSV file's header row and where each mapped field is in it.
 *
 * @param names   the header names, trimmed
 * @param columns for each field found, its column index
 */
record CsvHeader(List<String> names, Map<CsvField, Integer> columns) {

    CsvHeader {
        names = List.copyOf(names);
        columns = Map.copyOf(columns);
    }

    /**
     * Finds the configured columns in {@code header}. Header names match exactly after trimming,
     * Latin letters in any case. The first configured name present wins.
     *
     * @throws IllegalArgumentException saying which fields have no column, when the file cannot give
     *     events: ticket-sn, time and total are needed, store-id unless {@code store-id} is configured,
     *     and member-phone or member-card
     */
    static CsvHeader resolve(List<String> header, CsvFolderConfig config) {
        List<String> names = header.stream().map(CsvHeader::clean).toList();
        Map<CsvField, Integer> columns = new EnumMap<>(CsvField.class);
        for (CsvField field : CsvField.values()) {
            for (String wanted : config.columns().get(field)) {
                int index = indexOf(names, wanted);
                if (index >= 0) {
                    columns.put(field, index);
                    break;
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (CsvField field : List.of(CsvField.TICKET_SN, CsvField.TIME, CsvField.TOTAL)) {
            if (!columns.containsKey(field)) {
                problems.add(missing(field, config));
            }
        }
        if (!columns.containsKey(CsvField.STORE_ID) && config.common().storeId().isEmpty()) {
            problems.add(missing(CsvField.STORE_ID, config) + " and no store-id is configured as fallback");
        }
        if (!columns.containsKey(CsvField.MEMBER_PHONE) && !columns.containsKey(CsvField.MEMBER_CARD)) {
            problems.add("no column for member-phone (looked for " + String.join(" or ", config.columns().get(CsvField.MEMBER_PHONE))
                    + ") nor member-card (looked for " + String.join(" or ", config.columns().get(CsvField.MEMBER_CARD))
                    + "), so no row could name a customer");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems) + "; the header is: " + shown(names));
        }
        return new CsvHeader(names, columns);
    }

    /** How many header names a message shows, each cut to {@value #NAME_LIMIT} characters. */
    static final int NAMES_SHOWN = 12;
    static final int NAME_LIMIT = 24;

    /** The header for a message: its first names, cut short (a file may have a header of any size). */
    private static String shown(List<String> names) {
        List<String> shown = names.stream().limit(NAMES_SHOWN)
                .map(n -> n.length() <= NAME_LIMIT ? n : n.substring(0, NAME_LIMIT) + "...").toList();
        return String.join(", ", shown) + (names.size() > NAMES_SHOWN ? ", ... (" + names.size() + " columns)" : "");
    }

    /** The column index of {@code field}, if the file has it. */
    Optional<Integer> index(CsvField field) {
        return Optional.ofNullable(columns.get(field));
    }

    /** The header name of {@code field}'s column, for messages. */
    String nameOf(CsvField field) {
        Integer index = columns.get(field);
        return index == null ? field.configKey() : names.get(index);
    }

    private static String missing(CsvField field, CsvFolderConfig config) {
        return "no column for " + field.configKey().substring(CsvField.KEY_PREFIX.length()) + " (looked for "
                + String.join(" or ", config.columns().get(field)) + ")";
    }

    private static int indexOf(List<String> names, String wanted) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(wanted) || names.get(i).toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    /** A header name without surrounding blanks or a stray byte order mark. */
    static String clean(String name) {
        return name.replace("\uFEFF", "").strip();
    }
}
