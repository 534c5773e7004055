package io.omnihub.testkit.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.ConnectorException;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * Asserts that a {@link HostileInput} has the outcome its table states, and that the connector
 * stays safe while getting there: it finishes within {@link #TIME_LIMIT}, throws none but the SDK's
 * typed errors, and its messages and log lines are short and hold no secret and no personal value.
 */
public final class HostileChecks {

    /**
     * How long one input may take. Generous on purpose (a parse takes milliseconds): it is there
     * to catch a hang or a blow-up (an entity bomb, an exponent in the billions), not to time code,
     * and must hold on a loaded machine.
     */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(30);

    /**
     * The longest error message allowed: operators read these on the board and with dead letters,
     * and an oversized field must not make a megabyte of one.
     */
    public static final int MAX_MESSAGE_LENGTH = 1000;

    /**
     * Personal values planted in the corpora's personal fields and in fields of the wrong kind
     * (phone, name, e-mail, ID card, address); none may surface in an error message or a log line.
     * A channel's own error text ({@code errmsg}, {@code sub_msg}) is quoted as the channel wrote
     * it, cut short; the hub masks phone numbers and ids in it before showing or logging it.
     */
    public static final Set<String> CANARIES = Set.of(
            "13912345678", "张三丰", "canary.person@example.com", "110101199003071234", "幸福路88号");

    private HostileChecks() {
    }

    /**
     * Runs {@code observe} and asserts the outcome of {@code input}.
     *
     * @param forbidden values that must not appear in a message or log line besides the
     *                  {@link #CANARIES}: the instance's secrets
     * @param logLines  the log lines the connector wrote meanwhile (read after {@code observe} ran)
     */
    public static Observation expect(HostileInput input, Supplier<Observation> observe, Collection<String> forbidden,
                                     Supplier<List<String>> logLines) {
        Observation seen = assertTimeoutPreemptively(TIME_LIMIT, observe::get,
                () -> input + ": took longer than " + TIME_LIMIT + " (a hang or a blow-up)");
        if (seen.unexpected().isPresent()) {
            throw new AssertionFailedError(input + ": failed with an error that is none of the SDK's typed errors: "
                    + stackTrace(seen.unexpected().get()), seen.unexpected().get());
        }
        assertThat(seen.outcome()).as("%s: outcome (messages %s)", input, seen.messages()).isEqualTo(input.expected());
        input.message().ifPresent(part -> assertThat(String.join(" | ", seen.messages()))
                .as("%s: the error message should say what is wrong", input).contains(part));
        List<String> texts = new ArrayList<>(seen.messages());
        List<String> logs = logLines.get();
        texts.addAll(logs);
        for (String message : seen.messages()) {
            assertThat(message.length()).as("%s: length of message '%.200s...'", input, message)
                    .isLessThanOrEqualTo(MAX_MESSAGE_LENGTH);
        }
        for (String text : texts) {
            for (String value : CANARIES) {
                assertThat(text).as("%s: a personal value in a message or log line", input).doesNotContain(value);
            }
            for (String value : forbidden) {
                if (value != null && value.length() >= 6) {
                    assertThat(text).as("%s: a secret in a message or log line", input).doesNotContain(value);
                }
            }
        }
        return seen;
    }

    /** {@link #expect(HostileInput, Supplier, Collection, Supplier)} for a connector that logs nothing here. */
    public static Observation expect(HostileInput input, Supplier<Observation> observe, Collection<String> forbidden) {
        return expect(input, observe, forbidden, List::of);
    }

    /**
     * Runs {@code action} as a fuzz target does: the SDK's typed errors are an expected way to
     * refuse an input (their message is checked as {@link #expect} checks it: short, no secret, no
     * {@linkplain #CANARIES canary}); anything else, an unchecked exception or an error, escapes
     * and is the finding.
     *
     * @param secrets values that must not appear in an error message
     * @param inputs    what the action was given: a secret or canary that the input itself holds is
     *                  no leak when quoted back (the corpora check what may be quoted)
     */
    public static void contained(Runnable action, Collection<String> secrets, byte[]... inputs) {
        try {
            action.run();
        } catch (ConnectorException expected) {
            String given = Arrays.stream(inputs).map(input -> new String(input, StandardCharsets.UTF_8))
                    .collect(Collectors.joining("\n"));
            for (Throwable t = expected; t != null; t = t.getCause()) {
                String message = String.valueOf(t.getMessage());
                if (message.length() > MAX_MESSAGE_LENGTH) {
                    throw new AssertionError("an error message of " + message.length() + " characters: "
                            + message.substring(0, 200) + "...", expected);
                }
                for (String value : secrets) {
                    if (value != null && value.length() >= 6 && message.contains(value) && !given.contains(value)) {
                        throw new AssertionError("a secret in an error message: " + message, expected);
                    }
                }
                for (String value : CANARIES) {
                    if (message.contains(value) && !given.contains(value)) {
                        throw new AssertionError("a personal value in an error message: " + message, expected);
                    }
                }
            }
        }
    }

    /**
     * {@link #contained} for a webhook request: {@code instance}'s handler takes it, its normalizer
     * every record the handler returns, as the hub's ingress and normalize stages would.
     */
    public static void containedWebhook(ConnectorInstance instance, WebhookRequest request, Collection<String> secrets,
                                        byte[]... inputs) {
        byte[][] given = Arrays.copyOf(inputs, inputs.length + 1);
        given[inputs.length] = request.body();
        contained(() -> {
            WebhookResult result = instance.webhook().orElseThrow().handle(request);
            for (RawRecord record : result.records()) {
                instance.normalizer().normalize(record);
            }
        }, secrets, given);
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
