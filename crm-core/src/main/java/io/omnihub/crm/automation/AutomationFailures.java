package io.omnihub.crm.automation;

import io.omnihub.crm.jdbc.SqlStates;
import java.sql.SQLException;

/** How the automation engine tells a failure that would happen again from one worth a retry, and how it reports them. */
final class AutomationFailures {

    private AutomationFailures() {
    }

    /**
     * Whether {@code e} comes from a definition or the data (and so would fail again), rather than
     * from a race or the database's state (retried with the whole transaction).
     */
    static boolean poison(Throwable e) {
        if (e instanceof StackOverflowError) {
            return true; // data nested too deep for some evaluation: it would overflow again
        }
        if (e instanceof io.omnihub.crm.CrmException) {
            return false;
        }
        if (e instanceof SQLException sql) {
            String state = SqlStates.state(sql);
            return state.startsWith("22") || (state.startsWith("23") && !state.equals("23505") && !state.equals("23503"));
        }
        return true;
    }

    /**
     * What went wrong, fit for logs and the database: for a database error only its SQL state and
     * the exception's class (PostgreSQL's messages and details quote the offending values, which are
     * personal data), otherwise the class and the first line of the message (the engine's own
     * messages name definitions, never values).
     */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return e.getClass().getSimpleName() + (t == e ? "" : " (" + t.getClass().getSimpleName() + ")")
                        + ", SQL state " + (sql.getSQLState() == null ? "unknown" : sql.getSQLState());
            }
        }
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getName();
        }
        int nl = message.indexOf('\n');
        String first = nl < 0 ? message : message.substring(0, nl);
        return e.getClass().getName() + ": " + (first.length() > 500 ? first.substring(0, 500) + "..." : first);
    }

    /** The exception to log with its stack trace, or null when it carries a database error (whose text quotes values). */
    static Throwable loggable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return null;
            }
        }
        return e instanceof StackOverflowError ? null : e;
    }
}
