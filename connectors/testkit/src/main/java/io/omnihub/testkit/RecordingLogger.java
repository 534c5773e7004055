package io.omnihub.testkit;

import java.text.MessageFormat;
import java.util.List;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link System.Logger} that keeps every message it is given (formatted, with the thrown
 * exception's message appended) and passes it on to the JVM's logger of the same name. The kit
 * searches the kept lines for leaked secrets; tests may assert on them.
 */
public final class RecordingLogger implements System.Logger {

    private final System.Logger delegate;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** A logger named {@code name} that also writes to {@code System.getLogger(name)}. */
    public RecordingLogger(String name) {
        this.delegate = System.getLogger(Objects.requireNonNull(name, "name"));
    }

    /** Every message logged so far, at any level, formatted: {@code "WARNING token expired"}. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        // Everything is recorded, whatever the JVM's logging configuration lets through.
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        lines.add(level + " " + msg + (thrown == null ? "" : " | " + thrown));
        if (delegate.isLoggable(level)) {
            delegate.log(level, bundle, msg, thrown);
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        String text = format;
        if (format != null && params != null && params.length > 0) {
            try {
                text = MessageFormat.format(format, params);
            } catch (IllegalArgumentException e) {
                text = format + " " + java.util.Arrays.toString(params);
            }
        }
        lines.add(level + " " + text);
        if (delegate.isLoggable(level)) {
            delegate.log(level, bundle, format, params);
        }
    }
}
