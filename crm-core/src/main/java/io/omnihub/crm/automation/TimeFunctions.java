package io.omnihub.crm.automation;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CEL functions conditions over the current time use, beside CEL's own timestamp arithmetic
 * ({@code now - customer.orders.lastOrderAt > duration('720h')}):
 * <ul>
 *   <li>{@code daysBetween(from, to)}: whole days from one timestamp to another (negative when
 *       {@code to} is earlier), e.g. {@code daysBetween(customer.orders.lastOrderAt, now) > 30};</li>
 *   <li>{@code monthOf(date)}: the month (1 to 12) of a date written as text, {@code 1990-05-12},
 *       {@code 1990-05-12T08:00:00+08:00}, {@code --05-12} or {@code 05-12}, as birthdays are kept;</li>
 *   <li>{@code monthOf(timestamp, zone)} and {@code dayOfMonthOf(...)} alike: the month and day of a
 *       timestamp in an IANA time zone, counted from 1 (CEL's own {@code getMonth} counts from 0).</li>
 * </ul>
 * So "birthday this month" reads {@code monthOf(customer.attributes.birthday) == monthOf(now, 'Asia/Shanghai')}.
 */
final class TimeFunctions {

    private TimeFunctions() {
    }

    /** A calendar date as text: optional year (or "--"), month, day, optionally followed by a time. */
    private static final Pattern DATE = Pattern.compile("^(?:\\d{4}-|--)?(\\d{1,2})-(\\d{1,2})(?:[T ].*)?$");

    static final List<CelFunctionDecl> DECLARATIONS = List.of(
            CelFunctionDecl.newFunctionDeclaration("daysBetween",
                    CelOverloadDecl.newGlobalOverload("daysBetween_timestamp_timestamp", SimpleType.INT, SimpleType.TIMESTAMP, SimpleType.TIMESTAMP)),
            CelFunctionDecl.newFunctionDeclaration("monthOf",
                    CelOverloadDecl.newGlobalOverload("monthOf_string", SimpleType.INT, SimpleType.STRING),
                    CelOverloadDecl.newGlobalOverload("monthOf_timestamp_string", SimpleType.INT, SimpleType.TIMESTAMP, SimpleType.STRING)),
            CelFunctionDecl.newFunctionDeclaration("dayOfMonthOf",
                    CelOverloadDecl.newGlobalOverload("dayOfMonthOf_string", SimpleType.INT, SimpleType.STRING),
                    CelOverloadDecl.newGlobalOverload("dayOfMonthOf_timestamp_string", SimpleType.INT, SimpleType.TIMESTAMP, SimpleType.STRING)));

    static final List<CelFunctionBinding> BINDINGS = List.of(
            CelFunctionBinding.from("daysBetween_timestamp_timestamp", Instant.class, Instant.class,
                    (from, to) -> Math.floorDiv(Duration.between(from, to).getSeconds(), 86_400L)),
            CelFunctionBinding.from("monthOf_string", String.class, text -> (long) date(text)[0]),
            CelFunctionBinding.from("monthOf_timestamp_string", Instant.class, String.class,
                    (at, zone) -> (long) at.atZone(zone(zone)).getMonthValue()),
            CelFunctionBinding.from("dayOfMonthOf_string", String.class, text -> (long) date(text)[1]),
            CelFunctionBinding.from("dayOfMonthOf_timestamp_string", Instant.class, String.class,
                    (at, zone) -> (long) at.atZone(zone(zone)).getDayOfMonth()));

    /** The month and day of {@code text}; a condition reading a malformed date fails, and so counts as false. */
    private static int[] date(String text) throws CelEvaluationException {
        Matcher m = DATE.matcher(text.strip());
        if (m.matches()) {
            int month = Integer.parseInt(m.group(1));
            int day = Integer.parseInt(m.group(2));
            if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
                return new int[] {month, day};
            }
        }
        throw new CelEvaluationException("not a date (YYYY-MM-DD, --MM-DD or MM-DD): a text of " + text.length() + " characters");
    }

    private static ZoneId zone(String zone) throws CelEvaluationException {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new CelEvaluationException("not a time zone: " + zone);
        }
    }
}
