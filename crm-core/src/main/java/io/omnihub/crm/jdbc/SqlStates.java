package io.omnihub.crm.jdbc;

import java.sql.SQLException;

/** What a failed statement means, from its SQLSTATE (PostgreSQL's codes). */
public final class SqlStates {

    private SqlStates() {
    }

    /** The first SQLSTATE in the exception's chain; empty when there is none. */
    public static String state(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return "";
    }

    /** A lost race between transactions: serialization failure, deadlock, lock timeout. Another try can win. */
    public static boolean lockRace(SQLException e) {
        String s = state(e);
        return s.equals("40001") || s.equals("40P01") || s.equals("55P03");
    }

    /**
     * A lost race on a key: a unique or foreign key another transaction took first. Another try can
     * win where the work reads before it writes (it then sees the winner's row).
     */
    public static boolean keyRace(SQLException e) {
        String s = state(e);
        return s.equals("23505") || s.equals("23503");
    }

    /** An error caused by the data itself (bad value, violated check), not by the database's state. */
    public static boolean dataError(SQLException e) {
        String s = state(e);
        return s.startsWith("22") || (s.startsWith("23") && !keyRace(e));
    }

    /**
     * What went wrong, fit for an exception message, a log or a dead letter: the SQLSTATE and the
     * first line of PostgreSQL's message with every value it quotes replaced by {@code ***} (its
     * {@code Detail:} lines, which quote the row at fault, are left out).
     */
    public static String describe(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip();
        int nl = message.indexOf('\n');
        String first = nl < 0 ? message : message.substring(0, nl);
        first = QUOTED.matcher(first).replaceAll(quoted -> quoted.group().startsWith("'") ? "'***'" : "\"***\"");
        first = KEY_VALUES.matcher(first).replaceAll("=(***)");
        first = first.length() > 300 ? first.substring(0, 300) + "…" : first;
        return "SQLSTATE " + state(e) + (first.isEmpty() ? "" : ": " + first);
    }

    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("\"[^\"]*\"|'(?:[^']|'')*'");
    private static final java.util.regex.Pattern KEY_VALUES = java.util.regex.Pattern.compile("=\\(.*\\)");
}
