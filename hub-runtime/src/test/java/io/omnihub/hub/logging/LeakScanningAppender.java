package io.omnihub.hub.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.Layout;

/**
 * An appender that writes nothing: it renders each event with its layout (the hub's own pattern, so
 * the masking converters apply to message and stack trace) and records a {@link LogLeaks leak} when
 * the line still holds personal data.
 */
public class LeakScanningAppender extends AppenderBase<ILoggingEvent> {

    private Layout<ILoggingEvent> layout;

    public void setLayout(Layout<ILoggingEvent> layout) {
        this.layout = layout;
    }

    @Override
    public void start() {
        if (layout == null) {
            addError("no layout for " + getName());
            return;
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        String line = layout.doLayout(event);
        LogLeaks.find(line).ifPresent(value -> LogLeaks.record(event.getLoggerName(), value, line));
    }
}
