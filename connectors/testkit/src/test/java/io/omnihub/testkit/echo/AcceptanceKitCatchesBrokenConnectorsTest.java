package io.omnihub.testkit.echo;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.omnihub.testkit.echo.EchoConnectorAcceptanceTest.API_KEY;
import static io.omnihub.testkit.echo.EchoConnectorAcceptanceTest.page;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.testkit.echo.EchoConnector.Flaw;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Proves the kit catches broken connectors: runs the whole acceptance suite, through the JUnit
 * Platform, against {@link EchoConnector}s with one deliberate {@link Flaw} each, and checks that
 * exactly the rule the flaw breaks fails, with a message that names it. The hooks that fit the kit
 * to a channel are proved the same way: {@code stubNormalizerLookups()} in the poll rules,
 * {@code resetPollSource()} for a source that reading consumes, and {@code notApplicable()},
 * including what happens when it names a rule or an action kind that does not exist.
 *
 * <p>The broken suites are nested classes so that Maven Surefire, which skips nested classes,
 * never runs them on their own.
 */
class AcceptanceKitCatchesBrokenConnectorsTest {

    /** Rule name by the test method that checks it. */
    private static final Map<String, String> RULES = Map.ofEntries(
            Map.entry("descriptorValid", "descriptor-valid"),
            Map.entry("capabilitiesMatch", "capabilities-match"),
            Map.entry("secretsMarked", "secrets-marked"),
            Map.entry("checkOk", "check-ok"),
            Map.entry("checkReportsBadCredentials", "check-reports-bad-credentials"),
            Map.entry("webhookForgedRefused", "webhook-forged-refused"),
            Map.entry("webhookUnauthenticatedGarbageRefused", "webhook-unauthenticated-garbage-refused"),
            Map.entry("webhookReplayRefused", "webhook-replay-refused"),
            Map.entry("webhookSignedAccepted", "webhook-signed-accepted"),
            Map.entry("webhookHostileBodyContained", "webhook-hostile-body-contained"),
            Map.entry("normalizedValid", "normalized-valid"),
            Map.entry("idsDeterministic", "ids-deterministic"),
            Map.entry("secretsNotInOutput", "secrets-not-in-output"),
            Map.entry("pollCheckpointsForward", "poll-checkpoints-forward"),
            Map.entry("pollResumableAfterCrash", "poll-resumable-after-crash"),
            Map.entry("actionErrorsClassified", "action-errors-classified"),
            Map.entry("actionIdempotencyKey", "action-idempotency-key"));

    @Test
    void wellBehavedConnectorPassesEveryRule() {
        run(EchoConnectorAcceptanceTest.class).passesEveryRule();
    }

    @Test
    void secretNotMarkedInSchemaFailsSecretsMarked() {
        run(Flaw.SECRET_NOT_MARKED).onlyFailure("secrets-marked")
                .contains("config key 'signing-secret' is not marked \"x-secret\": true in the config schema")
                .contains("InstanceConfig.masked() shows secret 'signing-secret' in clear");
    }

    @Test
    void invalidConfigSchemaFailsDescriptorValid() {
        Outcome outcome = run(Flaw.INVALID_CONFIG_SCHEMA);

        // secrets-marked fails too: validConfig() cannot be checked against a broken schema.
        outcome.failsOnly("descriptor-valid", "secrets-marked");
        outcome.failure("descriptor-valid")
                .contains("config schema: meta-schema: $.type: does not have a value in the enumeration")
                .contains("top-level \"type\" must be \"object\" (a configuration is a map), was \"objekt\"");
        outcome.failure("secrets-marked").contains("the config schema is not a valid schema (see descriptor-valid)");
    }

    @Test
    void connectorAcceptingForgedSignaturesFailsWebhookForgedRefused() {
        Outcome outcome = run(Flaw.ACCEPTS_FORGED_SIGNATURES);

        // A forgery with a malformed body then reaches the parser: the garbage rule catches that too.
        outcome.failsOnly("webhook-forged-refused", "webhook-unauthenticated-garbage-refused");
        outcome.failure("webhook-forged-refused")
                .contains("sample #1 (GET, 0 bytes) with a corrupted signature was accepted: reply 200 and 0 record(s)")
                .contains("sample #2 (POST, ")
                .contains("it must throw BadSignatureException");
    }

    @Test
    void connectorParsingBeforeVerifyingFailsWebhookUnauthenticatedGarbageRefused() {
        run(Flaw.PARSES_BEFORE_VERIFYING).onlyFailure("webhook-unauthenticated-garbage-refused")
                .contains("sample #2 (POST, ")
                .contains("without its signature, with an empty body threw BadInputException")
                .contains("forged, with the body cut in half threw BadInputException")
                .contains("instead of BadSignatureException");
    }

    @Test
    void connectorIgnoringTimestampsFailsWebhookReplayRefused() {
        run(Flaw.IGNORES_TIMESTAMP).onlyFailure("webhook-replay-refused")
                .contains("replayed at")
                .contains("was accepted");
    }

    @Test
    void parseErrorsEscapingUncheckedFailWebhookHostileBodyContained() {
        run(Flaw.UNCHECKED_PARSE_ERRORS).onlyFailure("webhook-hostile-body-contained")
                .contains("truncated JSON, correctly signed,: handle() threw java.io.UncheckedIOException")
                .contains("a body that cannot be read must be a BadInputException");
    }

    @Test
    void randomEventIdsFailIdsDeterministic() {
        Outcome outcome = run(Flaw.RANDOM_EVENT_IDS);

        // Random ids break resuming a poll too: the batch read again after a crash gets new ids.
        outcome.failsOnly("ids-deterministic", "poll-resumable-after-crash");
        outcome.failure("ids-deterministic").contains("normalized twice, ids [echo:acme-store:");
    }

    @Test
    void eventsWithoutIdentitiesFailNormalizedValid() {
        run(Flaw.NO_IDENTITIES).onlyFailure("normalized-valid")
                .contains("event 'echo:acme-store:evt-1001': $.data: required property 'identities' not found");
    }

    @Test
    void apiKeyQuotedInCheckMessageFailsCheckReportsBadCredentials() {
        run(Flaw.API_KEY_IN_CHECK_MESSAGE).onlyFailure("check-reports-bad-credentials")
                .contains("check() message contains a secret value (api-key): \"Echo rejected API key ****** (HTTP 401)\"")
                .doesNotContain("ek_live_0000revoked0000");
    }

    @Test
    void secretCopiedIntoEventFailsSecretsNotInOutput() {
        run(Flaw.SECRET_IN_EVENT).onlyFailure("secrets-not-in-output")
                .contains("event 'echo:acme-store:evt-1001' contains the value of secret 'signing-secret'")
                .doesNotContain(EchoConnectorAcceptanceTest.SIGNING_SECRET);
    }

    @Test
    void secretWrittenToTheLogFailsBothLeakRules() {
        Outcome outcome = run(Flaw.SECRET_IN_LOG);

        // The check logs its Authorization header: the bad key in one rule, the good key in the other.
        outcome.failsOnly("check-reports-bad-credentials", "secrets-not-in-output");
        outcome.failure("check-reports-bad-credentials")
                .contains("the log of instance #1 opened in this test contains a secret value (api-key)");
        outcome.failure("secrets-not-in-output")
                .contains("contains the value of secret 'api-key'")
                .doesNotContain(EchoConnectorAcceptanceTest.API_KEY);
    }

    @Test
    void aPollingConnectorWhoseTestDoesNotOptInFailsThePollRules() {
        Outcome outcome = run(PollsWithoutOptingIn.class);

        // Its poller would go unchecked: the poll rules fail, saying which hook to implement.
        outcome.skipsNone();
        outcome.failsOnly("poll-checkpoints-forward", "poll-resumable-after-crash");
        outcome.failure("poll-checkpoints-forward").isEqualTo("[poll-checkpoints-forward] the instance"
                + " opened with validConfig() offers a poller (poller() is present) and the descriptor declares POLL, but"
                + " stubPollSource() returned false, so nothing checks that its checkpoints are set and only move forward:"
                + " implement stubPollSource() to stub the channel's pull API page by page and return true, or name"
                + " 'poll-checkpoints-forward' in notApplicable() with the reason it cannot apply to this channel");
        outcome.failure("poll-resumable-after-crash")
                .contains("nothing checks that a batch lost in a crash comes again with the same event ids")
                .contains("implement stubPollSource()")
                .contains("name 'poll-resumable-after-crash' in notApplicable()");
    }

    @Test
    void aConnectorSendingActionsWhoseTestDoesNotOptInFailsTheActionRules() {
        Outcome outcome = run(SendsWithoutOptingIn.class);

        outcome.skipsNone();
        outcome.failsOnly("action-errors-classified", "action-idempotency-key");
        outcome.failure("action-errors-classified").isEqualTo("[action-errors-classified] the instance"
                + " opened with validConfig() offers an action sender (actions() is present) and the descriptor declares"
                + " ACTIONS, but actionSamples() is empty, so nothing checks that its errors tell the hub whether to retry,"
                + " wait or give up: implement actionSamples() with actions of the kinds the sender lists in kinds(), or"
                + " name 'action-errors-classified' in notApplicable() with the reason it cannot apply to this channel");
        outcome.failure("action-idempotency-key")
                .contains("implement actionSamples()")
                .contains("name 'action-idempotency-key' in notApplicable()");
    }

    @Test
    void anInstanceThatPollsFailsThePollRulesEvenWhenTheDescriptorDoesNotDeclarePoll() {
        Outcome outcome = run(PollerNotDeclared.class);

        // Keyed off what the opened instance offers; the descriptor's silence is capabilities-match's finding.
        outcome.failsOnly("capabilities-match", "poll-checkpoints-forward", "poll-resumable-after-crash");
        outcome.failure("capabilities-match").contains("the instance offers POLL but the descriptor does not declare it");
        outcome.failure("poll-checkpoints-forward")
                .contains("offers a poller (poller() is present) (the descriptor does not declare POLL: see capabilities-match),"
                        + " but stubPollSource() returned false")
                .contains("implement stubPollSource()");
    }

    @Test
    void actionsDeclaredButAbsentFromTheInstanceFailTheActionRulesUnlessNamedNotApplicable() {
        Outcome outcome = run(ActionsDeclaredButNotOffered.class);

        outcome.failsOnly("action-errors-classified", "action-idempotency-key");
        outcome.failure("action-idempotency-key").isEqualTo("[action-idempotency-key] the descriptor"
                + " declares ACTIONS, but actionSamples() is empty and the instance opened with validConfig() offers no action"
                + " sender, so nothing checks that an accepted action returns a result and carries its idempotency key:"
                + " implement actionSamples() with actions of the kinds the sender lists in kinds(), with a validConfig()"
                + " whose instance offers ACTIONS, or name 'action-idempotency-key' in notApplicable() with the reason an"
                + " instance configured like validConfig() has none");

        // As the WeCom suite does: the reason is what a reviewer reads.
        Outcome named = run(ActionsDeclaredButNotOfferedNamedNotApplicable.class);

        named.skipsOnly("action-errors-classified", "action-idempotency-key");
        named.skipReason("action-errors-classified").isEqualTo("not applicable (notApplicable()): an Echo webhook-only account sends no messages");
    }

    @Test
    void pollAndActionRulesNamedNotApplicableAreSkippedWithTheReasonWithoutOptingIn() {
        Outcome outcome = run(PollsAndSendsNamedNotApplicable.class);

        outcome.skipsOnly("poll-checkpoints-forward", "poll-resumable-after-crash",
                "action-errors-classified", "action-idempotency-key");
        outcome.skipReason("poll-resumable-after-crash")
                .isEqualTo("not applicable (notApplicable()): this Echo feed is a live tail that cannot be read again");
    }

    @Test
    void pollAndActionRulesAreSkippedWithTheReasonForAConnectorThatNeitherPollsNorSends() {
        Outcome outcome = run(WebhookOnly.class);

        outcome.skipsOnly("poll-checkpoints-forward", "poll-resumable-after-crash",
                "action-errors-classified", "action-idempotency-key");
        outcome.skipReason("poll-checkpoints-forward")
                .isEqualTo("stubPollSource() returned false: the connector does not poll");
        outcome.skipReason("action-idempotency-key")
                .isEqualTo("actionSamples() is empty: the connector sends no actions");
    }

    @Test
    void checkpointMovingBackFailsPollCheckpointsForward() {
        run(Flaw.CHECKPOINT_GOES_BACK).onlyFailure("poll-checkpoints-forward")
                .contains("poll #3 from checkpoint '4' returned checkpoint '3', earlier than the one it was given");
    }

    @Test
    void idsThatDependOnTheFetchFailPollResumableAfterCrash() {
        run(Flaw.POLL_IDS_PER_FETCH).onlyFailure("poll-resumable-after-crash")
                .contains("the batch fetched from checkpoint '2' but never committed had event ids [echo:acme-store:2-1-")
                .contains("polling again from that checkpoint after the crash gave")
                .contains("missing");
    }

    @Test
    void everyRefusalReportedAsBadInputFailsActionErrorsClassified() {
        run(Flaw.ACTION_ERRORS_ALL_BAD_INPUT).onlyFailure("action-errors-classified")
                .contains("action #1 (kind 'echo.message', id 'enr-42:step-1') when the channel answers SERVER_ERROR:"
                        + " threw BadInputException (Echo refused the message: HTTP 502); it must throw TransientException")
                .contains("when the channel answers RATE_LIMITED: threw BadInputException (Echo refused the message: HTTP 429);"
                        + " it must throw RateLimitedException")
                .doesNotContain("REJECTED");
    }

    @Test
    void messageWithoutIdempotencyKeyFailsActionIdempotencyKey() {
        run(Flaw.NO_IDEMPOTENCY_KEY).onlyFailure("action-idempotency-key")
                .contains("action #1 (kind 'echo.message', id 'enr-42:step-1'): no request carried the action id 'enr-42:step-1'")
                .contains("POST /v1/messages");
    }

    // ---------------------------------------------------------------------------------------
    // Hooks: stubNormalizerLookups() in the poll rules, resetPollSource(), notApplicable()
    // ---------------------------------------------------------------------------------------

    @Test
    void thePollRulesStubTheNormalizersLookups() {
        // A polled event names its member by reference only; stubNormalizerLookups() alone resolves it.
        run(MemberLookedUpWhileNormalizing.class).passesEveryRule();
    }

    @Test
    void aQueueRestoredByResetPollSourcePassesTheCrashRule() {
        HOOK_CALLS.clear();
        run(QueueRestored.class).passesEveryRule();

        // Before each run from no checkpoint, after stubPollSource() and stubNormalizerLookups(): the
        // second time in the crash rule, after the reference run drained the queue.
        assertThat(HOOK_CALLS.get("poll-resumable-after-crash")).containsExactly("stubPollSource", "stubNormalizerLookups",
                "resetPollSource (queue Started)", "resetPollSource (queue drained)");
        assertThat(HOOK_CALLS.get("poll-checkpoints-forward")).containsExactly("stubPollSource", "stubNormalizerLookups",
                "resetPollSource (queue Started)");
        assertThat(HOOK_CALLS.get("normalized-valid")).containsExactly("stubPollSource", "stubNormalizerLookups",
                "resetPollSource (queue Started)");
    }

    @Test
    void aQueueNotRestoredFailsTheCrashRulePointingAtResetPollSource() {
        run(QueueNotRestored.class).onlyFailure("poll-resumable-after-crash")
                .contains("polling from no checkpoint gave records in the reference run but none when polled again for the crash run")
                .contains("restore it in resetPollSource()");
    }

    @Test
    void aRuleNamedInNotApplicableIsSkippedWithTheReason() {
        run(IdempotencyKeyNotApplicable.class).onlySkip("action-idempotency-key")
                .isEqualTo("not applicable (notApplicable()): Echo's message API takes no idempotency key");
    }

    @Test
    void aMisspeltRuleInNotApplicableFailsEveryRuleAndSkipsNone() {
        Outcome outcome = run(MisspeltNotApplicable.class);

        // The rule meant is neither skipped nor passed silently: nothing passes until the name is right.
        outcome.failsEveryRule();
        outcome.failure("action-idempotency-key").isEqualTo("[action-idempotency-key] notApplicable() names"
                + " 'action-idempotency-keys', which is not a rule of this kit (did you mean 'action-idempotency-key'?);"
                + " the rules it may name are [poll-checkpoints-forward, poll-resumable-after-crash,"
                + " action-errors-classified, action-idempotency-key]");
        outcome.failure("descriptor-valid").contains("'action-idempotency-keys', which is not a rule of this kit");
    }

    @Test
    void aRuleEveryConnectorMustPassCannotBeDeclaredNotApplicable() {
        Outcome outcome = run(MandatoryRuleNotApplicable.class);

        outcome.failsEveryRule();
        outcome.failure("secrets-marked")
                .contains("notApplicable() names 'secrets-marked', a rule every connector must pass")
                .contains("notApplicable() gives no reason for 'poll-checkpoints-forward'");
    }

    @Test
    void anActionKindNamedInNotApplicableIsLeftOutAndTheOthersAreChecked() {
        Outcome outcome = run(SmsLeftOutOfIdempotency.class);

        outcome.passesEveryRule();
        assertThat(outcome.reports.get("action-idempotency-key"))
                .containsExactly("not-applicable=actions of kind 'echo.sms' left out: Echo's SMS API takes no idempotency key");
        assertThat(outcome.reports).doesNotContainKey("action-errors-classified");
    }

    @Test
    void leavingOutOneActionKindStillChecksTheOthers() {
        run(SmsLeftOutButMessagesWithoutKey.class).onlyFailure("action-idempotency-key")
                .contains("action #1 (kind 'echo.message', id 'enr-42:step-1'): no request carried the action id")
                .doesNotContain("echo.sms");
    }

    @Test
    void withoutNotApplicableAnActionKindWithoutKeyFailsTheRule() {
        run(SmsWithoutExclusion.class).onlyFailure("action-idempotency-key")
                .contains("action #2 (kind 'echo.sms', id 'enr-42:step-2'): no request carried the action id 'enr-42:step-2'")
                .doesNotContain("action #1");
    }

    @Test
    void anActionRuleWhoseEveryKindIsLeftOutIsSkippedWithTheReason() {
        run(EveryActionKindLeftOut.class).onlySkip("action-idempotency-key").isEqualTo("not applicable (notApplicable()) to any action"
                + " sample: actions of kind 'echo.message' left out: this Echo account's message API takes no idempotency key");
    }

    @Test
    void aMisspeltActionKindInNotApplicableFailsEveryRule() {
        Outcome outcome = run(MisspeltActionKind.class);

        outcome.failsEveryRule();
        outcome.failure("action-idempotency-key").contains("notApplicable() names 'action-idempotency-key[echo.smss]',"
                + " but no actionSamples() action is of kind 'echo.smss' (did you mean 'echo.sms'?); the samples' kinds are"
                + " [echo.message, echo.sms]");
    }

    // ---------------------------------------------------------------------------------------

    /** Page 2's last event names its member by {@code member_ref}: the normalizer looks it up. */
    static class MemberLookedUpWhileNormalizing extends EchoConnectorAcceptanceTest {
        @Override
        protected boolean stubPollSource(WireMock channel) {
            super.stubPollSource(channel);
            // Registered last, so it answers page 2 instead of the plain one.
            channel.register(get(urlPathEqualTo("/v1/events")).withQueryParam("after", equalTo("2"))
                    .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                    .willReturn(okJson(page("events-page-2-member-ref.json"))));
            return true;
        }

        @Override
        protected void stubNormalizerLookups(WireMock channel) {
            channel.register(get(urlPathEqualTo("/v1/members/ref-0102"))
                    .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                    .willReturn(okJson("{\"member\":\"M-0102\"}")));
        }
    }

    /** The hooks {@link QueueRestored} saw called, by rule, in order. */
    static final Map<String, List<String>> HOOK_CALLS = new ConcurrentHashMap<>();

    /**
     * Echo's feed as a queue: it hands its events out until a reader has caught up (read the empty
     * page after the last), then the first page is empty too. The test restores it between runs.
     */
    static class QueueRestored extends EchoConnectorAcceptanceTest {
        static final String QUEUE = "queue";

        private String rule = "";

        @BeforeEach
        void rememberRule(TestInfo info) {
            rule = info.getDisplayName().substring(0, info.getDisplayName().indexOf(':'));
        }

        void called(String hook) {
            HOOK_CALLS.computeIfAbsent(rule, r -> new CopyOnWriteArrayList<>()).add(hook);
        }

        @Override
        protected boolean stubPollSource(WireMock channel) {
            called("stubPollSource");
            channel.register(events().withQueryParam("after", absent()).inScenario(QUEUE).whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(okJson(page("events-page-1.json"))));
            channel.register(events().withQueryParam("after", absent()).inScenario(QUEUE).whenScenarioStateIs("drained")
                    .willReturn(okJson(page("events-page-empty.json"))));
            channel.register(events().withQueryParam("after", equalTo("2")).willReturn(okJson(page("events-page-2.json"))));
            channel.register(events().withQueryParam("after", matching("[3-9]|[1-9][0-9]+")).inScenario(QUEUE)
                    .willSetStateTo("drained").willReturn(okJson(page("events-page-empty.json"))));
            return true;
        }

        private static MappingBuilder events() {
            return get(urlPathEqualTo("/v1/events")).withHeader("Authorization", equalTo("Bearer " + API_KEY));
        }

        @Override
        protected void stubNormalizerLookups(WireMock channel) {
            called("stubNormalizerLookups");
        }

        @Override
        protected void resetPollSource(WireMock channel) {
            String state = channel.getScenarios().stream().filter(s -> s.getName().equals(QUEUE))
                    .map(Scenario::getState).findFirst().orElse("?");
            called("resetPollSource (queue " + state + ")");
            channel.resetScenarioState(QUEUE);
        }
    }

    static class QueueNotRestored extends QueueRestored {
        @Override
        protected void resetPollSource(WireMock channel) {
            // Forgotten: the reference run leaves the queue drained.
        }
    }

    static class IdempotencyKeyNotApplicable extends EchoConnectorAcceptanceTest {
        @Override
        Set<Flaw> flaws() {
            return Set.of(Flaw.NO_IDEMPOTENCY_KEY);
        }

        @Override
        protected Map<String, String> notApplicable() {
            return Map.of("action-idempotency-key", "Echo's message API takes no idempotency key");
        }
    }

    static class MisspeltNotApplicable extends IdempotencyKeyNotApplicable {
        @Override
        protected Map<String, String> notApplicable() {
            return Map.of("action-idempotency-keys", "Echo's message API takes no idempotency key");
        }
    }

    static class MandatoryRuleNotApplicable extends EchoConnectorAcceptanceTest {
        @Override
        protected Map<String, String> notApplicable() {
            return Map.of("secrets-marked", "our secrets are safe", "poll-checkpoints-forward", " ");
        }
    }

    /** Messages and text messages; Echo's SMS API takes no idempotency key. */
    static class SmsWithoutExclusion extends EchoConnectorAcceptanceTest {
        @Override
        protected List<OutboundAction> actionSamples() {
            List<OutboundAction> samples = new ArrayList<>(super.actionSamples());
            samples.add(new OutboundAction("enr-42:step-2", EchoConnector.SMS, Identity.of(IdentityTypes.MEMBER_CARD, "M-0101"),
                    Map.of("text", "Back in stock: the blue one")));
            return samples;
        }
    }

    static class SmsLeftOutOfIdempotency extends SmsWithoutExclusion {
        @Override
        protected Map<String, String> notApplicable() {
            return Map.of(forActionKind("action-idempotency-key", EchoConnector.SMS), "Echo's SMS API takes no idempotency key");
        }
    }

    static class SmsLeftOutButMessagesWithoutKey extends SmsLeftOutOfIdempotency {
        @Override
        Set<Flaw> flaws() {
            return Set.of(Flaw.NO_IDEMPOTENCY_KEY);
        }
    }

    static class EveryActionKindLeftOut extends EchoConnectorAcceptanceTest {
        @Override
        Set<Flaw> flaws() {
            return Set.of(Flaw.NO_IDEMPOTENCY_KEY);
        }

        @Override
        protected Map<String, String> notApplicable() {
            return Map.of(forActionKind("action-idempotency-key", EchoConnector.MESSAGE),
                    "this Echo account's message API takes no idempotency key");
        }
    }

    static class MisspeltActionKind extends SmsWithoutExclusion {
        @Override
        protected Map<String, String> notApplicable() {
            return Map.of("action-idempotency-key[echo.smss]", "Echo's SMS API takes no idempotency key");
        }
    }

    // ---------------------------------------------------------------------------------------

    /** A test that does not override the poll hooks: the kit's defaults. */
    static class PollsWithoutOptingIn extends EchoConnectorAcceptanceTest {
        @Override
        protected boolean stubPollSource(WireMock channel) {
            return false;
        }
    }

    /** A test that does not override the action hook: the kit's default. */
    static class SendsWithoutOptingIn extends EchoConnectorAcceptanceTest {
        @Override
        protected List<OutboundAction> actionSamples() {
            return List.of();
        }
    }

    /** Echo's instances poll, but its descriptor forgets POLL; the test does not opt in either. */
    static class PollerNotDeclared extends PollsWithoutOptingIn {
        @Override
        protected ChannelConnector connector() {
            return new EchoConnector(flaws(), Set.of(Capability.WEBHOOK, Capability.ACTIONS), EchoConnector.ALL);
        }
    }

    /** Like a WeCom instance of the WeChat connector: ACTIONS declared, this instance sends none. */
    static class ActionsDeclaredButNotOffered extends SendsWithoutOptingIn {
        @Override
        protected ChannelConnector connector() {
            return new EchoConnector(flaws(), EchoConnector.ALL, Set.of(Capability.WEBHOOK, Capability.POLL));
        }
    }

    static class ActionsDeclaredButNotOfferedNamedNotApplicable extends ActionsDeclaredButNotOffered {
        @Override
        protected Map<String, String> notApplicable() {
            String reason = "an Echo webhook-only account sends no messages";
            return Map.of("action-errors-classified", reason, "action-idempotency-key", reason);
        }
    }

    static class PollsAndSendsNamedNotApplicable extends EchoConnectorAcceptanceTest {
        @Override
        protected boolean stubPollSource(WireMock channel) {
            return false;
        }

        @Override
        protected List<OutboundAction> actionSamples() {
            return List.of();
        }

        @Override
        protected Map<String, String> notApplicable() {
            String live = "this Echo feed is a live tail that cannot be read again";
            String sms = "this Echo account's messages go out through another connector";
            return Map.of("poll-checkpoints-forward", live, "poll-resumable-after-crash", live,
                    "action-errors-classified", sms, "action-idempotency-key", sms);
        }
    }

    /** An Echo that only receives pushes: no poller, no sender, declared or offered. */
    static class WebhookOnly extends EchoConnectorAcceptanceTest {
        @Override
        protected ChannelConnector connector() {
            return new EchoConnector(flaws(), Set.of(Capability.WEBHOOK), Set.of(Capability.WEBHOOK));
        }

        @Override
        protected boolean stubPollSource(WireMock channel) {
            return false;
        }

        @Override
        protected List<OutboundAction> actionSamples() {
            return List.of();
        }
    }

    /**
     * Echo with the one {@link Flaw} the launcher names in configuration parameter {@value #FLAW}:
     * the suite of every run that proves a single flaw is caught.
     */
    static class OneFlaw extends EchoConnectorAcceptanceTest {
        static final String FLAW = "omnihub.testkit.echo.flaw";

        @RegisterExtension
        static final TestInstancePostProcessor FLAW_FROM_LAUNCHER = (test, context) -> ((OneFlaw) test).flaw =
                context.getConfigurationParameter(FLAW).map(Flaw::valueOf).orElseThrow(() ->
                        new IllegalStateException("OneFlaw runs with configuration parameter " + FLAW + " naming the flaw"));

        private Flaw flaw;

        @Override
        Set<Flaw> flaws() {
            return Set.of(flaw);
        }
    }

    // ---------------------------------------------------------------------------------------

    /** What one suite run did, keyed by rule name; failures map to their messages. */
    private static final class Outcome {
        final Map<String, String> passed = new TreeMap<>();
        final Map<String, String> failed = new TreeMap<>();
        final Map<String, String> skipped = new TreeMap<>();
        final Map<String, String> displayNames = new TreeMap<>();
        final Map<String, List<String>> reports = new TreeMap<>();
        final List<String> unknown = new ArrayList<>();

        void passesEveryRule() {
            assertThat(passed).as("rules that passed").containsOnlyKeys(RULES.values());
            assertThat(failed).as("rules that failed").isEmpty();
            assertThat(skipped).as("rules that were skipped").isEmpty();
        }

        void failsEveryRule() {
            assertThat(skipped).as("rules that were skipped").isEmpty();
            assertThat(failed).as("rules that failed").containsOnlyKeys(RULES.values());
        }

        void failsOnly(String... rules) {
            assertThat(failed).as("rules that failed").containsOnlyKeys(rules);
        }

        /** Asserts that {@code rule} alone failed; its failure message, to assert on. */
        AbstractStringAssert<?> onlyFailure(String rule) {
            failsOnly(rule);
            return failure(rule);
        }

        AbstractStringAssert<?> failure(String rule) {
            return assertThat(failed.get(rule)).as("failure message of rule %s", rule);
        }

        void skipsNone() {
            assertThat(skipped).as("rules that were skipped").isEmpty();
        }

        /** Asserts that nothing failed and exactly {@code rules} were skipped. */
        void skipsOnly(String... rules) {
            assertThat(failed).as("rules that failed").isEmpty();
            assertThat(skipped).as("rules that were skipped").containsOnlyKeys(rules);
        }

        /** Asserts that nothing failed and {@code rule} alone was skipped; the reason given, to assert on. */
        AbstractStringAssert<?> onlySkip(String rule) {
            skipsOnly(rule);
            return skipReason(rule);
        }

        AbstractStringAssert<?> skipReason(String rule) {
            return assertThat(skipped.get(rule)).as("reason rule %s was skipped", rule);
        }
    }

    /** Runs the suite against an Echo that has {@code flaw}. */
    private static Outcome run(Flaw flaw) {
        return run(OneFlaw.class, Map.of(OneFlaw.FLAW, flaw.name()));
    }

    private static Outcome run(Class<? extends EchoConnectorAcceptanceTest> suite) {
        return run(suite, Map.of());
    }

    private static Outcome run(Class<? extends EchoConnectorAcceptanceTest> suite, Map<String, String> configuration) {
        Outcome outcome = new Outcome();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(suite))
                .configurationParameters(configuration)
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                rule(test, outcome).ifPresent(rule -> outcome.skipped.put(rule, reason));
            }

            @Override
            public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
                rule(test, outcome).ifPresent(rule -> entry.getKeyValuePairs().forEach((key, value) ->
                        outcome.reports.computeIfAbsent(rule, r -> new ArrayList<>()).add(key + "=" + value)));
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                rule(test, outcome).ifPresent(rule -> {
                    switch (result.getStatus()) {
                        case SUCCESSFUL -> outcome.passed.put(rule, "");
                        case FAILED -> {
                            outcome.failed.put(rule, result.getThrowable().map(Throwable::getMessage).orElse(""));
                        }
                        case ABORTED -> outcome.skipped.put(rule,
                                result.getThrowable().map(Throwable::getMessage).orElse(""));
                    }
                });
            }
        });
        // Listeners' exceptions are swallowed by the launcher, so the checks on names come after.
        assertThat(outcome.unknown).as("tests that are not a known rule").isEmpty();
        outcome.displayNames.forEach((rule, displayName) ->
                assertThat(displayName).as("display name of rule %s", rule).startsWith(rule + ": "));
        outcome.failed.forEach((rule, message) ->
                assertThat(message).as("failure message of rule %s", rule).startsWith("[" + rule + "] "));
        return outcome;
    }

    private static Optional<String> rule(TestIdentifier test, Outcome outcome) {
        if (!test.isTest() || !(test.getSource().orElse(null) instanceof MethodSource source)) {
            return Optional.empty();
        }
        String rule = RULES.get(source.getMethodName());
        if (rule == null) {
            outcome.unknown.add(source.getMethodName());
            return Optional.empty();
        }
        outcome.displayNames.put(rule, test.getDisplayName());
        return Optional.of(rule);
    }
}
