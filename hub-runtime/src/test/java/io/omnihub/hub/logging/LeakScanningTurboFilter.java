package io.omnihub.hub.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.omnihub.routes.privacy.PersonalDataMasker;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * The log scanner for the levels a test run does not write: a DEBUG or TRACE statement of the hub's
 * own code ({@code io.omnihub.*}, connectors' {@code connector.*}) is formatted and masked as the
 * hub's pattern would, and a leak is {@link LogLeaks recorded}, though the line is never written.
 * It decides nothing ({@link FilterReply#NEUTRAL}).
 */
public class LeakScanningTurboFilter extends TurboFilter {

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || level == null || level.isGreaterOrEqual(logger.getEffectiveLevel()) || !ownCode(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null ? t : MessageFormatter.getThrowableCandidate(params);
        String message = MessageFormatter.arrayFormat(format, params, thrown).getMessage();
        String line = mask(message) + (thrown == null ? "" : "\n" + mask(ThrowableProxyUtil.asString(new ThrowableProxy(thrown))));
        LogLeaks.find(line).ifPresent(value -> LogLeaks.record(logger.getName() + " (" + level + ", not written)", value, line));
        return FilterReply.NEUTRAL;
    }

    private static boolean ownCode(String logger) {
        return logger.startsWith("io.omnihub.") || logger.startsWith("connector.");
    }

    private static String mask(String text) {
        return PersonalDataMasker.mask(text, SecretValues.all());
    }
}
