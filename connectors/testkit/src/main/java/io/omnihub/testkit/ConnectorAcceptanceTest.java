package io.omnihub.testkit;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.errors.ConnectorException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.schema.CanonicalEventJson;
import io.omnihub.connector.schema.CanonicalEventValidator;
import io.omnihub.connector.schema.ConfigSchema;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.omnihub.testkit.hostile.HostileChecks;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The acceptance suite every OmniHub connector runs, ours or a partner's. Extend it in the
 * connector's test sources, implement the hooks, and the inherited tests check the rules below
 * against the real connector code, with a WireMock server standing in for the channel.
 *
 * <pre>{@code
 * class WeChatConnectorAcceptanceTest extends ConnectorAcceptanceTest {
 *     protected ChannelConnector connector() { return new WeChatConnector(); }
 *     protected Map<String, String> validConfig(String channelBaseUrl) {
 *         return Map.of("api-base-url", channelBaseUrl, "app-id", "wx1234567890abcdef", "app-secret", "...", ...);
 *     }
 *     ...
 * }
 * }</pre>
 *
 * <h2>Rules</h2>
 * Each rule is one test whose display name starts with the rule's name; every failure message
 * starts with {@code [rule-name]} and says what was seen.
 * <ol>
 *   <li>{@code descriptor-valid}: id, name, version and channel set; the config schema is a valid
 *       draft 2020-12 JSON Schema for an object.</li>
 *   <li>{@code capabilities-match}: an opened instance offers nothing its descriptor does not declare
 *       (the descriptor lists what instances <em>may</em> offer: a WeCom instance of the WeChat
 *       connector has no actions).</li>
 *   <li>{@code secrets-marked}: every {@link #expectedSecretKeys()} key is a property marked
 *       {@code "x-secret": true}; {@link #validConfig} satisfies the schema;
 *       {@link InstanceConfig#masked()} hides the secrets.</li>
 *   <li>{@code check-ok}: with {@link #validConfig} and {@link #stubValidCredentials},
 *       {@code check()} reports ok.</li>
 *   <li>{@code check-reports-bad-credentials}: with {@link #badCredentialsConfig} and
 *       {@link #stubBadCredentials}, {@code check()} reports a failure with a helpful message that
 *       holds no secret, and does not throw.</li>
 *   <li>{@code webhook-forged-refused}: each signed sample, {@link #forge forged}, is refused with
 *       {@link BadSignatureException}.</li>
 *   <li>{@code webhook-unauthenticated-garbage-refused}: each signed POST sample, forged or with its
 *       signature removed, and with a malformed body (empty, truncated, binary, another format), is
 *       refused with {@link BadSignatureException}, never {@link BadInputException}: the hub keeps
 *       bad input on its dead-letter queue, so a handler that parses before it verifies would let
 *       anyone on the internet fill the hub's disk. Verify first, then parse.</li>
 *   <li>{@code webhook-replay-refused}: only when {@link #replayTolerance()} is set: each signed
 *       POST sample, arriving later than the tolerance allows, is refused with
 *       {@link BadSignatureException}.</li>
 *   <li>{@code webhook-signed-accepted}: each signed sample is accepted with a 2xx reply; a POST
 *       yields at least one record; the handler never calls the channel.</li>
 *   <li>{@code webhook-hostile-body-contained}: only when {@link #signedWebhook} is implemented:
 *       hostile bodies (external entities, DTDs, XInclude, an entity bomb, JSON nested 100,000 deep,
 *       an exponent in the billions, truncated JSON, a member named twice, invalid UTF-8, NUL bytes,
 *       an empty body, half a megabyte of text), each correctly signed, are handled or refused with
 *       {@link BadInputException} by handler and normalizer, within a time limit, without another
 *       exception, without fetching anything, with short messages holding no secret.</li>
 *   <li>{@code normalized-valid}: every record normalizes to events that pass
 *       {@link CanonicalEventValidator} (CloudEvents attributes and the SDK's data schema), the
 *       rules the hub's normalize stage applies.</li>
 *   <li>{@code ids-deterministic}: normalizing a record twice, on two instances, and handling a
 *       request twice (a redelivery) gives the same event ids; different records give different ids.</li>
 *   <li>{@code secrets-not-in-output}: no secret value appears in events, replies, records or
 *       messages.</li>
 *   <li>{@code poll-checkpoints-forward}: for a connector that polls, with {@link #stubPollSource}:
 *       polling from no checkpoint until caught up, each checkpoint is set and never earlier than the
 *       one before.</li>
 *   <li>{@code poll-resumable-after-crash}: with {@link #stubPollSource}: a batch fetched but never
 *       committed (the node crashed) comes again, with the same event ids, when another instance
 *       polls from the last committed checkpoint, and polling on reaches the same end state as a
 *       run without the crash. A source that reading consumes is restored between the two runs by
 *       {@link #resetPollSource}.</li>
 *   <li>{@code action-errors-classified}: for a connector that sends actions, with
 *       {@link #actionSamples()}: a 5xx or an
 *       unreachable channel throws {@link TransientException}, a quota answer
 *       {@link RateLimitedException} with a positive {@code retryAfter}, a refused action
 *       {@link BadInputException}.</li>
 *   <li>{@code action-idempotency-key}: with {@link #actionSamples()}: an accepted action returns
 *       a result, and every request that sends it carries the action's id, the idempotency key, also
 *       when the action is sent again.</li>
 * </ol>
 * The poll and action rules need samples only the test can give: it opts in through
 * {@link #stubPollSource} and {@link #actionSamples()}. A connector that polls or sends actions
 * must: when the instance opened with {@link #validConfig} offers a poller (or an action sender), or
 * the descriptor declares {@code POLL} (or {@code ACTIONS}), and the test does not opt in, the rules
 * fail, naming the hook to implement. A connector that does neither has them reported as skipped,
 * with the reason. A rule that cannot apply to the channel (whether the test opts in or not) is named
 * in {@link #notApplicable()} with the reason (an action rule also for one action kind only); the
 * kit reports it as skipped with that reason.
 *
 * <h2>Lifecycle</h2>
 * JUnit creates one instance of the test class per test, and the kit starts a fresh WireMock
 * server (dynamic port) for each test, so hooks may keep no state between tests. Every hook is
 * called on the test thread. Instances are opened with a {@link TestConnectorContext} whose clock
 * is a {@link MutableClock} set to {@link #now()}, and whose secret keys are those the schema
 * marks. The rule tests are {@code final}: a connector cannot opt out of a rule that applies to it
 * (the poll and action rules apply to every connector that polls or sends actions, except those
 * {@link #notApplicable()} names, with the reason, which the kit reports as skipped). Subclasses may
 * add their own tests and use {@link #channel()}, {@link #channelBaseUrl()} and
 * {@link #openInstance(Map)}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ConnectorAcceptanceTest {

    /** The default {@link #now()}: a fixed instant, so signed samples stored as files keep verifying. */
    public static final Instant DEFAULT_NOW = Instant.parse("2025-05-20T02:00:00Z");

    /** The default {@link #instanceId()}. */
    public static final String DEFAULT_INSTANCE_ID = "acceptance";

    /** Secret values shorter than this cannot be searched for meaningfully in output. */
    public static final int MIN_SECRET_LENGTH = 6;

    /** How many polls the poll rules make from one checkpoint before they call the poller endless. */
    public static final int MAX_POLLS = 50;

    /** Query parameter and header names the default {@link #forge} treats as signatures. */
    public static final Pattern SIGNATURE_NAME = Pattern.compile("(?i).*(sign|hmac|digest).*");

    private static final Pattern ID_PATTERN = Pattern.compile("[a-z][a-z0-9-]{1,31}");
    private static final String HEX = "0123456789abcdef";

    @RegisterExtension
    final WireMockExtension channelServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .configureStaticDsl(false)
            .build();

    private final List<TestConnectorContext> contexts = new CopyOnWriteArrayList<>();

    /** The current test's reporter, for the report entries of {@link #notApplicable()}. */
    private TestReporter reporter;

    @BeforeEach
    final void keepTestReporter(TestReporter testReporter) {
        this.reporter = testReporter;
    }

    // ---------------------------------------------------------------------------------------
    // Hooks: what the connector's test provides
    // ---------------------------------------------------------------------------------------

    /**
     * The connector under test, as the hub would create it through its public no-argument
     * constructor. Called once or more per test; return a new instance each time.
     */
    protected abstract ChannelConnector connector();

    /**
     * A complete, working configuration for one instance whose every channel URL points at
     * {@code channelBaseUrl} (the WireMock server, e.g. {@code http://localhost:41234}, no trailing
     * slash). It must satisfy the connector's config schema and hold a realistic value (at least
     * {@value #MIN_SECRET_LENGTH} characters) for every secret, so the kit can search output for
     * leaked secrets. The values are those the hub would hand over: strings, keys in kebab-case.
     */
    protected abstract Map<String, String> validConfig(String channelBaseUrl);

    /**
     * Stubs what {@code check()} calls when the credentials of {@link #validConfig} are right, e.g.
     * WeChat's {@code GET /cgi-bin/token} answering an access token. Stub the channel's exact
     * protocol: match the path, the query and the credentials the channel would verify.
     *
     * @param channel the WireMock client of this test's server
     */
    protected abstract void stubValidCredentials(WireMock channel);

    /**
     * A configuration with well-formed but wrong credentials (e.g. another app secret), pointing at
     * {@code channelBaseUrl}. Opening an instance with it must succeed; {@code check()} must then
     * report the failure.
     */
    protected abstract Map<String, String> badCredentialsConfig(String channelBaseUrl);

    /**
     * Stubs how the channel answers the credentials of {@link #badCredentialsConfig}, e.g. WeChat's
     * {@code {"errcode":40125,"errmsg":"invalid appsecret"}}.
     *
     * @param channel the WireMock client of this test's server
     */
    protected abstract void stubBadCredentials(WireMock channel);

    /**
     * The configuration keys that hold secrets (app secrets, tokens, AES keys, API keys). Each must
     * be a property marked {@code "x-secret": true} in the config schema. List every one, even if
     * the schema marks it already: the list states what the connector's author knows is secret.
     */
    protected abstract Set<String> expectedSecretKeys();

    /**
     * Requests exactly as the channel would push them to {@code /hooks/<connector>/<instance>},
     * correctly signed (and encrypted, where the channel encrypts) for {@code config}, which is
     * {@link #validConfig}. Include the handshake (GET) if the channel has one, and POSTs that
     * cover the event kinds the connector maps; each POST must be a different channel event.
     * Set each request's {@code receivedAt} to {@code now}; signature timestamps should be close
     * to {@code now} (the instance's clock reads {@code now}).
     *
     * <p>Required when the descriptor declares {@link Capability#WEBHOOK}; the default returns none.
     * {@link WebhookRequests} builds requests and reads sample files from test resources.
     *
     * @param config the configuration the instance under test was opened with
     * @param now    the instant the instance's clock reads
     */
    protected List<WebhookRequest> signedWebhookSamples(Map<String, String> config, Instant now) {
        return List.of();
    }

    /**
     * A forged copy of a {@linkplain #signedWebhookSamples signed sample}: what an attacker without
     * the secret could send. The default corrupts the first hex/alphanumeric character of every
     * query parameter and header whose name matches {@link #SIGNATURE_NAME} ({@code signature},
     * {@code msg_signature}, {@code X-Hub-Signature-256}, {@code sign}, ...), leaving body and
     * timestamps as they were. Override it when the channel signs elsewhere (a {@code sign} field
     * in the body, an {@code Authorization} header).
     *
     * @throws UnsupportedOperationException (the default) when no signature-looking parameter or
     *     header exists; the rule then fails asking for an override
     */
    protected WebhookRequest forge(WebhookRequest signed) {
        WebhookRequests.Builder forged = WebhookRequests.from(signed);
        boolean corrupted = false;
        for (Map.Entry<String, List<String>> param : signed.query().entrySet()) {
            if (SIGNATURE_NAME.matcher(param.getKey()).matches() && !param.getValue().isEmpty()) {
                forged.replaceQuery(param.getKey(), corrupt(param.getValue().get(0)));
                corrupted = true;
            }
        }
        for (Map.Entry<String, List<String>> header : signed.headers().entrySet()) {
            if (SIGNATURE_NAME.matcher(header.getKey()).matches() && !header.getValue().isEmpty()) {
                forged.replaceHeader(header.getKey(), corrupt(header.getValue().get(0)));
                corrupted = true;
            }
        }
        if (!corrupted) {
            throw new UnsupportedOperationException("no query parameter or header named like a signature ("
                    + SIGNATURE_NAME.pattern() + "); override forge(WebhookRequest) to corrupt this channel's signature");
        }
        return forged.build();
    }

    /**
     * A POST carrying exactly {@code body} as the channel would push it to {@code config}'s instance,
     * correctly signed (and, where the channel encrypts its pushes, with {@code body} as the message
     * encrypted inside), so that the body passes verification and reaches the parser. Rule
     * {@code webhook-hostile-body-contained} hands the connector hostile bodies this way. The
     * default, empty, skips that rule, naming this hook.
     *
     * @param config the configuration the instance under test was opened with
     * @param body   the body (or encrypted message) to sign
     * @param now    the instant the instance's clock reads
     */
    protected Optional<WebhookRequest> signedWebhook(Map<String, String> config, byte[] body, Instant now) {
        return Optional.empty();
    }

    /**
     * Records that arrive other than by webhook (a poll batch, a recorded 抖店 push after lookup),
     * normalized by the same rules as the records the signed samples yield. Poll-only connectors
     * provide their records here; the default returns none.
     *
     * @param config the configuration the instance under test was opened with
     * @param now    the instant the instance's clock reads
     */
    protected List<RawRecord> recordSamples(Map<String, String> config, Instant now) {
        return List.of();
    }

    /**
     * Stubs the channel API calls the normalizer makes (DESIGN §2: a record that names no customer
     * is looked up through the API). Called before every rule that normalizes records: the normalize
     * rules ({@code normalized-valid}, {@code ids-deterministic}, {@code secrets-not-in-output}) and
     * the poll rules, each time after {@link #stubPollSource} when the test opts in to polling, so
     * lookups belong here and not in {@code stubPollSource()}. The default stubs nothing, for
     * normalizers that only read the record.
     *
     * @param channel the WireMock client of this test's server
     */
    protected void stubNormalizerLookups(WireMock channel) {
    }

    /**
     * How old a signed request may be before the connector refuses it as a replay, when the
     * channel's signature covers a timestamp (DESIGN §8). When set, rule
     * {@code webhook-replay-refused} delivers every signed POST sample this long plus one minute
     * after {@link #now()} and expects {@link BadSignatureException}. The default, empty, skips
     * that rule (for channels whose signature has no timestamp).
     */
    protected Optional<Duration> replayTolerance() {
        return Optional.empty();
    }

    /**
     * The instant the instance's {@link MutableClock} reads when a test opens it, and the
     * {@code now} handed to the sample hooks. Defaults to {@link #DEFAULT_NOW}; override it to match
     * the timestamps of recorded samples.
     */
    protected Instant now() {
        return DEFAULT_NOW;
    }

    /** The instance id the kit opens instances under; events' source is {@code /connectors/<id>/<this>}. */
    protected String instanceId() {
        return DEFAULT_INSTANCE_ID;
    }

    /**
     * Stubs the channel's pull API for the poll rules and returns {@code true}; the default stubs
     * nothing and returns {@code false}, meaning the connector does not poll. The poll rules
     * ({@code poll-checkpoints-forward}, {@code poll-resumable-after-crash}) are then skipped if
     * neither the descriptor declares {@code POLL} nor the instance opened with {@link #validConfig}
     * offers a poller, and fail otherwise, asking for this hook, unless {@link #notApplicable()}
     * names them.
     *
     * <p>Stub what the poller asks, page by page, in the channel's exact protocol: the first page
     * (no checkpoint), each following page by the cursor the previous one returned, and the empty
     * answer after the last page. At least two pages with records, so that a crash between them can
     * be checked. The stubs should answer by the request alone (WireMock's default), as the real
     * channel answers the same cursor the same way; the kit polls from several instances. A source
     * that reading changes (files moved in {@code committed()}, queue messages confirmed) may be
     * stubbed as it is, with state, if {@link #resetPollSource} restores it. Stub the normalizer's
     * lookups in {@link #stubNormalizerLookups}, which the poll rules call too. Records polled this
     * way are also checked by {@code normalized-valid}, {@code ids-deterministic} and
     * {@code secrets-not-in-output}.
     *
     * @param channel the WireMock client of this test's server
     */
    protected boolean stubPollSource(WireMock channel) {
        return false;
    }

    /**
     * Restores the poll source to what {@link #stubPollSource} set up, for sources that reading
     * consumes: a folder whose finished files {@code committed()} moves to {@code done/}, a queue
     * whose confirmed messages are gone, a WireMock scenario that follows them. The default does
     * nothing, which is right for a source that answers by the request alone.
     *
     * <p>The kit calls it on the test thread right before each run that polls from no checkpoint,
     * before that run's instance is opened: once in {@code poll-checkpoints-forward} and in the normalize rules, twice in
     * {@code poll-resumable-after-crash}: before its reference run and before its crash. When it is
     * called:
     * <ul>
     *   <li>{@link #stubPollSource} has returned {@code true} and {@link #stubNormalizerLookups} has
     *       run in this test; the kit removes no stub and resets no scenario between runs;</li>
     *   <li>the first time, nothing has been polled yet;</li>
     *   <li>the second time (crash rule only), the reference run has polled until caught up, called
     *       {@code committed()} after every batch, and its instance is closed: the source is as a
     *       complete run leaves it (files in {@code done/}, messages confirmed).</li>
     * </ul>
     * Bring back exactly what {@code stubPollSource()} set up (the same files with the same names
     * and times, the same messages with the same ids), so that the crash run reads what the
     * reference run read. It is not called between the crash's two lives: the restarted instance
     * finds the source as the crashed one left it, as it would in production.
     *
     * @param channel the WireMock client of this test's server (reset a scenario with
     *     {@code channel.resetScenarioState(name)})
     */
    protected void resetPollSource(WireMock channel) {
    }

    /**
     * How {@code poll-checkpoints-forward} orders checkpoints. The default reads numbers
     * numerically, ISO-8601 instants and offset date-times chronologically, and anything else as text
     * ({@link #compareCheckpoints}). Return empty for opaque cursors that have no order (a page
     * token); the rule then only checks that a checkpoint already passed is never returned again.
     */
    protected Optional<Comparator<String>> checkpointOrder() {
        return Optional.of(ConnectorAcceptanceTest::compareCheckpoints);
    }

    /**
     * The opt-in rules that do not apply to this connector, by rule name, each with the reason. The
     * kit reports each as skipped (a JUnit abort) with the reason, whatever the other hooks opt in
     * to. This is the only way to skip a poll or action rule of a connector that polls or sends
     * actions (its instance offers a poller or sender, or its descriptor declares {@code POLL} or
     * {@code ACTIONS}): not overriding {@link #stubPollSource} or {@link #actionSamples()} fails them.
     * The default names none.
     *
     * <p>Only the opt-in rules may be named: {@code poll-checkpoints-forward},
     * {@code poll-resumable-after-crash}, {@code action-errors-classified} and
     * {@code action-idempotency-key}; the others apply to every connector, or are skipped by the kit
     * itself when the descriptor or a hook says so. An action rule that applies to some action kinds
     * only is named with the kind in brackets ({@link #forActionKind}):
     * {@code "action-idempotency-key[wechat.subscribe]"} leaves out the {@link #actionSamples()} of
     * that kind and checks the others (and is skipped if none remain); the test publishes a report
     * entry {@code not-applicable} with the reason.
     *
     * <pre>{@code
     * protected Map<String, String> notApplicable() {
     *     return Map.of("action-idempotency-key", "Kingdee's WebAPI takes no idempotency key: a repeated "
     *             + "Save is recognised by a look-up before it (see KingdeeActionSenderTest)");
     * }
     * }</pre>
     *
     * A name that is not an opt-in rule, a kind no action sample has, or a blank reason fails every
     * rule with the mistake: a misspelt name never leaves the rule it meant silently running or
     * silently skipped.
     */
    protected Map<String, String> notApplicable() {
        return Map.of();
    }

    /**
     * The {@link #notApplicable()} key for an action rule that does not apply to actions of
     * {@code kind}: {@code forActionKind("action-idempotency-key", "wechat.subscribe")} is
     * {@code "action-idempotency-key[wechat.subscribe]"}.
     */
    protected static String forActionKind(String rule, String kind) {
        return rule + "[" + kind + "]";
    }

    /**
     * Outbound actions for the action rules ({@code action-errors-classified},
     * {@code action-idempotency-key}), each of a kind the instance's {@link ActionSender#kinds()}
     * lists, addressed to a recipient the channel knows. The default returns none: the connector sends
     * no actions. The action rules are then skipped if neither the descriptor declares {@code ACTIONS}
     * nor the instance opened with {@link #validConfig} offers an action sender, and fail otherwise,
     * asking for this hook, unless {@link #notApplicable()} names them.
     */
    protected List<OutboundAction> actionSamples() {
        return List.of();
    }

    /**
     * Stubs how the channel answers an action with {@code answer}. The default answers every request
     * with plain HTTP: {@code 200 {"id":"msg-1"}}, {@code 503}, {@code 429} with
     * {@code Retry-After: 30}, and {@code 400 {"error":"invalid_recipient"}}. Override it for
     * channels that answer in their own way (WeChat's {@code 200 {"errcode":45009,...}} for a quota).
     * An unreachable channel (connection reset) the kit stubs itself.
     *
     * @param channel the WireMock client of this test's server
     * @param answer  the answer to stub
     */
    protected void stubActionAnswer(WireMock channel, ActionAnswer answer) {
        channel.register(WireMock.any(WireMock.anyUrl()).willReturn(switch (answer) {
            case ACCEPTED -> WireMock.okJson("{\"id\":\"msg-1\"}");
            case SERVER_ERROR -> WireMock.aResponse().withStatus(503).withBody("service unavailable");
            case RATE_LIMITED -> WireMock.aResponse().withStatus(429).withHeader("Retry-After", "30")
                    .withBody("{\"error\":\"rate_limited\"}");
            case REJECTED -> WireMock.aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"invalid_recipient\"}");
        }));
    }

    /** How the channel answers an outbound action, for {@link #stubActionAnswer}. */
    public enum ActionAnswer {
        /** The channel did what was asked. */
        ACCEPTED,
        /** The channel failed for now (HTTP 5xx or the channel's "busy, try later"): expect {@link TransientException}. */
        SERVER_ERROR,
        /** A quota was reached: expect {@link RateLimitedException} with a positive {@code retryAfter}. */
        RATE_LIMITED,
        /** The channel refused the action for good (unknown recipient, invalid template): expect {@link BadInputException}. */
        REJECTED
    }

    // ---------------------------------------------------------------------------------------
    // Helpers for subclasses
    // ---------------------------------------------------------------------------------------

    /** The WireMock server of the current test. */
    protected final WireMockExtension channel() {
        return channelServer;
    }

    /** The current test's WireMock base URL, e.g. {@code http://localhost:41234}. */
    protected final String channelBaseUrl() {
        return channelServer.baseUrl();
    }

    /**
     * A context like the hub's for {@code config}: connector id from the descriptor,
     * {@link #instanceId()}, the secret keys the schema marks, a {@link MutableClock} at
     * {@link #now()}.
     */
    protected final TestConnectorContext newContext(Map<String, String> config) {
        return newContext(config, now());
    }

    /** Opens an instance of {@link #connector()} with {@link #newContext(Map)}. Close it after use. */
    protected final ConnectorInstance openInstance(Map<String, String> config) {
        return connector().open(newContext(config));
    }

    // ---------------------------------------------------------------------------------------
    // Rules
    // ---------------------------------------------------------------------------------------

    /**
     * Rule {@code descriptor-valid}: id, name, version and channel set; the config schema is a valid draft
     * 2020-12 schema for an object.
     */
    @Test
    @Order(1)
    @DisplayName("descriptor-valid: id, name, version, channel set; config schema is valid draft 2020-12")
    public final void descriptorValid() {
        Rule rule = rule("descriptor-valid");
        ConnectorDescriptor d = describe(rule);
        if (!ID_PATTERN.matcher(d.id()).matches()) {
            rule.add("id '" + d.id() + "' does not match " + ID_PATTERN.pattern());
        }
        if (d.name().isBlank()) {
            rule.add("name is blank");
        }
        if (d.version().isBlank()) {
            rule.add("version is blank");
        }
        if (d.channel().isBlank()) {
            rule.add("channel is blank");
        }
        try {
            ConfigSchema.parse(d.configSchema()).problems().forEach(p -> rule.add("config schema: " + p));
        } catch (IllegalArgumentException e) {
            rule.add(e.getMessage());
        }
        rule.assertNone();
    }

    /**
     * Rule {@code capabilities-match}: an instance opened with {@link #validConfig} offers no capability
     * the descriptor does not declare, and a normalizer.
     */
    @Test
    @Order(2)
    @DisplayName("capabilities-match: an opened instance offers nothing undeclared")
    public final void capabilitiesMatch() {
        Rule rule = rule("capabilities-match");
        Set<Capability> declared = describe(rule).capabilities();
        try (ConnectorInstance instance = open(rule, validConfig(channelBaseUrl()))) {
            compare(rule, Capability.WEBHOOK, declared, instance.webhook());
            compare(rule, Capability.POLL, declared, instance.poller());
            compare(rule, Capability.ENRICH, declared, instance.enricher());
            compare(rule, Capability.ACTIONS, declared, instance.actions());
            if (instance.normalizer() == null) {
                rule.add("normalizer() returned null; every instance needs a normalizer");
            }
        }
        rule.assertNone();
    }

    /**
     * Rule {@code secrets-marked}: {@link #expectedSecretKeys()} are marked {@code "x-secret": true};
     * {@link #validConfig} satisfies the schema; {@link InstanceConfig#masked()} hides secrets.
     */
    @Test
    @Order(3)
    @DisplayName("secrets-marked: expected secret keys are \"x-secret\": true; validConfig satisfies the schema; masked() hides secrets")
    public final void secretsMarked() {
        Rule rule = rule("secrets-marked");
        ConfigSchema schema = schema(rule);
        Map<String, String> config = validConfig(channelBaseUrl());
        for (String key : new TreeSet<>(expectedSecretKeys())) {
            if (!schema.declares(key)) {
                rule.add("config key '" + key + "' is not a property of the config schema");
            } else if (!schema.isSecret(key)) {
                rule.add("config key '" + key + "' is not marked \"x-secret\": true in the config schema");
            }
            String value = config.get(key);
            if (value != null && !value.isBlank() && value.length() < MIN_SECRET_LENGTH) {
                rule.add("validConfig() value of secret '" + key + "' is shorter than " + MIN_SECRET_LENGTH
                        + " characters; use a realistic value so the leak checks mean something");
            }
        }
        if (!schema.problems().isEmpty()) {
            rule.add("the config schema is not a valid schema (see descriptor-valid), so validConfig() cannot be checked against it");
        } else {
            schema.validate(config).forEach(v -> rule.add("validConfig() does not satisfy the config schema: " + v));
        }
        Map<String, String> masked = new InstanceConfig(config, schema.secretKeys()).masked();
        for (String key : secretKeys(schema)) {
            String value = config.get(key);
            if (value != null && !value.isBlank() && value.equals(masked.get(key))) {
                rule.add("InstanceConfig.masked() shows secret '" + key + "' in clear");
            }
        }
        rule.assertNone();
    }

    /**
     * Rule {@code check-ok}: with {@link #validConfig} and {@link #stubValidCredentials}, {@code check()}
     * reports ok without throwing.
     */
    @Test
    @Order(4)
    @DisplayName("check-ok: check() reports ok with valid credentials")
    public final void checkOk() {
        Rule rule = rule("check-ok");
        stubValidCredentials(channelServer.getRuntimeInfo().getWireMock());
        try (ConnectorInstance instance = open(rule, validConfig(channelBaseUrl()))) {
            CheckResult result = check(rule, instance);
            if (result != null && !result.ok()) {
                rule.add("check() reported a failure with validConfig() and stubValidCredentials(): \""
                        + result.message() + "\"" + unmatchedRequests());
            }
        }
        rule.assertNone();
    }

    /**
     * Rule {@code check-reports-bad-credentials}: with {@link #badCredentialsConfig} and {@link
     * #stubBadCredentials}, {@code check()} reports a failure, without throwing, with a message and log
     * free of secrets.
     */
    @Test
    @Order(5)
    @DisplayName("check-reports-bad-credentials: check() reports rejected credentials without throwing or leaking them")
    public final void checkReportsBadCredentials() {
        Rule rule = rule("check-reports-bad-credentials");
        ConfigSchema schema = schema(rule);
        stubBadCredentials(channelServer.getRuntimeInfo().getWireMock());
        Map<String, String> badConfig = badCredentialsConfig(channelBaseUrl());
        try (ConnectorInstance instance = open(rule, badConfig)) {
            CheckResult result = check(rule, instance);
            if (result != null) {
                if (result.ok()) {
                    rule.add("check() reported ok (\"" + result.message()
                            + "\") although the channel rejected the credentials of badCredentialsConfig()");
                } else if (result.message().isBlank()) {
                    rule.add("check() reported a failure with a blank message; say what the channel answered");
                }
                Set<String> secrets = secretValues(schema, badConfig);
                secrets.addAll(secretValues(schema, validConfig(channelBaseUrl())));
                leaks(secrets, result.message()).forEach(key ->
                        rule.add("check() message contains a secret value (" + key + "): \""
                                + redact(result.message(), secrets) + "\""));
                Map<String, String> logs = new LinkedHashMap<>();
                addLogs(logs);
                logs.forEach((where, text) -> leaks(secrets, text).forEach(key ->
                        rule.add(where + " contains a secret value (" + key + ")")));
            }
        }
        rule.assertNone();
    }

    /**
     * Rule {@code webhook-forged-refused}: every {@linkplain #forge forged} sample makes {@code handle()}
     * throw {@link BadSignatureException}.
     */
    @Test
    @Order(6)
    @DisplayName("webhook-forged-refused: a forged request throws BadSignatureException and yields nothing")
    public final void webhookForgedRefused() {
        Rule rule = rule("webhook-forged-refused");
        eachSignedSample(rule, (handler, i, signed) -> {
            WebhookRequest forged;
            try {
                forged = forge(signed);
            } catch (UnsupportedOperationException e) {
                rule.add(describe(i, signed) + ": " + e.getMessage());
                return;
            }
            expectRefused(rule, handler, forged, describe(i, signed) + " with a corrupted signature");
        });
        rule.assertNone();
    }

    /**
     * Rule {@code webhook-unauthenticated-garbage-refused}: every signed POST sample, forged or
     * stripped of its signature, with a malformed body, makes {@code handle()} throw
     * {@link BadSignatureException}: an unauthenticated request is refused before its body is parsed.
     */
    @Test
    @Order(6)
    @DisplayName("webhook-unauthenticated-garbage-refused: an unsigned or forged request with a malformed body throws "
            + "BadSignatureException, not BadInputException")
    public final void webhookUnauthenticatedGarbageRefused() {
        Rule rule = rule("webhook-unauthenticated-garbage-refused");
        eachSignedPost(rule, now(), (handler, i, signed) -> {
            Map<String, WebhookRequest> unauthenticated = new LinkedHashMap<>();
            WebhookRequest unsigned = unsigned(signed);
            if (unsigned.query().size() < signed.query().size() || unsigned.headers().size() < signed.headers().size()) {
                // A channel whose credential has another name (a callback key) is probed by forge() alone.
                unauthenticated.put("without its signature", unsigned);
            }
            try {
                unauthenticated.put("forged", forge(signed));
            } catch (UnsupportedOperationException e) {
                // webhook-forged-refused reports that forge() needs an override
            }
            for (Map.Entry<String, WebhookRequest> probe : unauthenticated.entrySet()) {
                WebhookRequest request = probe.getValue();
                String how = probe.getKey();
                for (Map.Entry<String, byte[]> garbage : malformedBodies(signed.body()).entrySet()) {
                    WebhookRequest attack = new WebhookRequest(request.method(), request.query(), request.headers(),
                            garbage.getValue(), request.receivedAt());
                    expectRefused(rule, handler, attack, describe(i, signed) + " " + how + ", with " + garbage.getKey());
                }
            }
        });
        rule.assertNone();
    }

    /** {@code signed} without any query parameter or header named like a signature ({@link #SIGNATURE_NAME}). */
    private static WebhookRequest unsigned(WebhookRequest signed) {
        Map<String, List<String>> query = new LinkedHashMap<>(signed.query());
        query.keySet().removeIf(name -> SIGNATURE_NAME.matcher(name).matches());
        Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
        headers.keySet().removeIf(name -> SIGNATURE_NAME.matcher(name).matches());
        return new WebhookRequest(signed.method(), query, headers, signed.body(), signed.receivedAt());
    }

    /** Bodies no channel would send, by what they are. */
    private static Map<String, byte[]> malformedBodies(byte[] original) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("an empty body", new byte[0]);
        if (original.length > 1) {
            bodies.put("the body cut in half", java.util.Arrays.copyOf(original, original.length / 2));
        }
        bodies.put("a binary body", new byte[] {0, (byte) 0xff, (byte) 0xfe, '<', '{', 0x7f, (byte) 0xc3, 0x28});
        boolean looksXml = original.length > 0 && new String(original, StandardCharsets.UTF_8).stripLeading().startsWith("<");
        bodies.put("a body in another format", (looksXml ? "{\"event\":" : "<xml><Encrypt><![CDATA[").getBytes(StandardCharsets.UTF_8));
        return bodies;
    }

    /**
     * Rule {@code webhook-replay-refused}: with {@link #replayTolerance()}, every signed POST sample
     * delivered too late throws {@link BadSignatureException}.
     */
    @Test
    @Order(7)
    @DisplayName("webhook-replay-refused: a signed request older than replayTolerance() throws BadSignatureException")
    public final void webhookReplayRefused() {
        Rule rule = rule("webhook-replay-refused");
        Optional<Duration> tolerance = replayTolerance();
        Assumptions.assumeTrue(tolerance.isPresent(), "replayTolerance() is empty: the channel's signature has no timestamp");
        Instant late = now().plus(tolerance.get()).plus(Duration.ofMinutes(1));
        eachSignedPost(rule, late, (handler, i, signed) -> {
            WebhookRequest replayed = WebhookRequests.from(signed).receivedAt(late).build();
            expectRefused(rule, handler, replayed, describe(i, signed) + " replayed at " + late
                    + " (replayTolerance() " + tolerance.get() + " after now() " + now() + ")");
        });
        rule.assertNone();
    }

    /**
     * Rule {@code webhook-signed-accepted}: every signed sample gets a 2xx reply, a POST yields records,
     * and the channel is not called.
     */
    @Test
    @Order(8)
    @DisplayName("webhook-signed-accepted: each signed sample is accepted, a POST yields records, the channel is not called")
    public final void webhookSignedAccepted() {
        Rule rule = rule("webhook-signed-accepted");
        eachSignedSample(rule, (handler, i, signed) -> {
            WebhookResult result;
            try {
                result = handler.handle(signed);
            } catch (RuntimeException e) {
                rule.add(describe(i, signed) + " was refused: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                return;
            }
            if (result == null) {
                rule.add(describe(i, signed) + ": handle() returned null");
                return;
            }
            int status = result.reply().status();
            if (status < 200 || status > 299) {
                rule.add(describe(i, signed) + ": reply status " + status + ", expected 2xx for a correctly signed request");
            }
            if (result.records() == null) {
                rule.add(describe(i, signed) + ": records is null");
            } else if (!signed.isGet() && result.records().isEmpty()) {
                rule.add(describe(i, signed) + ": no records; a signed POST sample must yield at least one record");
            }
        });
        List<String> calls = channelRequests().stream().map(r -> r.getMethod() + " " + r.getUrl()).toList();
        if (!calls.isEmpty()) {
            rule.add("the instance called the channel while opening or handling webhooks: " + calls
                    + "; open() and handle() must not call the channel (the hub acks within the channel's deadline)");
        }
        rule.assertNone();
    }

    /**
     * Rule {@code webhook-hostile-body-contained}: with {@link #signedWebhook}, each of the kit's
     * {@linkplain HostileBodies hostile bodies}, correctly signed, is accepted or refused as bad
     * input by the handler and the normalizer, within {@link HostileChecks#TIME_LIMIT}, with no other
     * exception, no external entity fetched and no secret in a message.
     */
    @Test
    @Order(8)
    @DisplayName("webhook-hostile-body-contained: signed hostile bodies are refused as bad input or handled, nothing fetched")
    public final void webhookHostileBodyContained() {
        Rule rule = rule("webhook-hostile-body-contained");
        Map<String, String> config = validConfig(channelBaseUrl());
        webhookSamples(rule, config);
        Set<String> secrets = secretValues(schema(rule), config);
        stubNormalizerLookups(channelServer.getRuntimeInfo().getWireMock());
        try (ConnectorInstance instance = open(rule, config)) {
            WebhookHandler handler = handler(rule, instance);
            for (Map.Entry<String, byte[]> hostile : HostileBodies.all(channelBaseUrl()).entrySet()) {
                Optional<WebhookRequest> signed = signedWebhook(config, hostile.getValue(), now());
                if (signed == null || signed.isEmpty()) {
                    Assumptions.abort("signedWebhook() is not implemented: the kit cannot sign a body for this channel");
                }
                String what = hostile.getKey() + ", correctly signed,";
                List<String> problems;
                try {
                    problems = assertTimeoutPreemptively(HostileChecks.TIME_LIMIT,
                            () -> containHostile(handler, instance, signed.get(), what, secrets),
                            () -> what + " took longer than " + HostileChecks.TIME_LIMIT + " (a hang or a blow-up)");
                } catch (AssertionFailedError e) {
                    problems = List.of(e.getMessage());
                }
                problems.forEach(problem -> rule.add(redact(problem, secrets)));
            }
        }
        List<String> fetched = channelRequests().stream().map(LoggedRequest::getUrl).filter(url -> url.startsWith(HostileBodies.PROBE_PATH)).toList();
        if (!fetched.isEmpty()) {
            rule.add("an external entity, DTD or XInclude in a body was fetched: " + fetched
                    + "; the parser must refuse DTDs and never resolve external references");
        }
        rule.assertNone();
    }

    /** Handles and normalizes one hostile request; what went wrong, empty when it was contained. */
    private static List<String> containHostile(WebhookHandler handler, ConnectorInstance instance, WebhookRequest request,
                                               String what, Set<String> secrets) {
        List<String> problems = new ArrayList<>();
        WebhookResult result;
        try {
            result = handler.handle(request);
        } catch (BadInputException expected) {
            problems.addAll(refusalProblems(what, expected, secrets));
            return problems;
        } catch (RuntimeException | Error e) {
            problems.add(what + ": handle() threw " + e.getClass().getName() + " (" + HostileBodies.cut(e.getMessage())
                    + "); a body that cannot be read must be a BadInputException (400, kept for an operator)");
            return problems;
        }
        if (result == null || result.records() == null) {
            problems.add(what + ": handle() returned no result");
            return problems;
        }
        for (RawRecord record : result.records()) {
            try {
                instance.normalizer().normalize(record);
            } catch (BadInputException expected) {
                problems.addAll(refusalProblems(what, expected, secrets));
            } catch (RuntimeException | Error e) {
                problems.add(what + ": normalize() threw " + e.getClass().getName() + " ("
                        + HostileBodies.cut(e.getMessage()) + "); a record that cannot be read must be a BadInputException");
            }
        }
        return problems;
    }

    /** What is wrong with the message of a hostile body's refusal: too long, a stack trace, a secret. */
    private static List<String> refusalProblems(String what, BadInputException refusal, Set<String> secrets) {
        List<String> problems = new ArrayList<>(HostileBodies.messageProblems(what, refusal));
        leaks(secrets, refusal.getMessage()).forEach(key -> problems.add(what + ": the error message holds secret '" + key + "'"));
        return problems;
    }

    /**
     * Rule {@code normalized-valid}: every record normalizes to events that pass {@link
     * CanonicalEventValidator}.
     */
    @Test
    @Order(9)
    @DisplayName("normalized-valid: every record normalizes to valid canonical events")
    public final void normalizedValid() {
        Rule rule = rule("normalized-valid");
        try (Harvest harvest = harvest(rule)) {
            checkNormalized(rule, harvest);
        }
        rule.assertNone();
    }

    private void checkNormalized(Rule rule, Harvest harvest) {
        CanonicalEventValidator validator = CanonicalEventValidator.create();
        String connectorId = harvest.connectorId;
        int events = 0;
        for (Sampled sampled : harvest.records) {
            for (CustomerEvent event : sampled.events) {
                events++;
                validator.validate(event, connectorId, instanceId())
                        .forEach(v -> rule.add(sampled.origin + ": event '" + event.id() + "': " + v));
            }
        }
        if (events == 0 && !harvest.records.isEmpty()) {
            rule.add("no record produced any event (" + harvest.records.size()
                    + " records normalized); add samples the connector maps to customer events");
        }
    }

    /**
     * Rule {@code ids-deterministic}: same record or redelivered request, same ids; different records,
     * different ids.
     */
    @Test
    @Order(10)
    @DisplayName("ids-deterministic: the same record or redelivered request gives the same event ids; different records different ids")
    public final void idsDeterministic() {
        Rule rule = rule("ids-deterministic");
        try (Harvest harvest = harvest(rule)) {
            checkIds(rule, harvest);
        }
        rule.assertNone();
    }

    private void checkIds(Rule rule, Harvest harvest) {
        Map<String, String> config = validConfig(channelBaseUrl());
        // Normalize again, on the same instance and on another one (another hub node).
        try (ConnectorInstance other = open(rule, config)) {
            for (Sampled sampled : harvest.records) {
                List<String> first = ids(sampled.events);
                List<String> again = ids(normalize(rule, harvest.instance, sampled.record, sampled.origin + ", normalized again"));
                List<String> elsewhere = ids(normalize(rule, other, sampled.record, sampled.origin + ", on another instance"));
                if (again != null && !first.equals(again)) {
                    rule.add(sampled.origin + ": normalized twice, ids " + first + " then " + again);
                } else if (elsewhere != null && !first.equals(elsewhere)) {
                    rule.add(sampled.origin + ": normalized on two instances, ids " + first + " then " + elsewhere);
                }
                if (new LinkedHashSet<>(first).size() != first.size()) {
                    rule.add(sampled.origin + ": one record gave duplicate ids " + first);
                }
            }
        }
        // Redeliver every webhook sample a second later: the channel retries the same push.
        Instant later = now().plusSeconds(1);
        try (ConnectorInstance redelivery = open(rule, config, later)) {
            WebhookHandler handler = redelivery.webhook().orElse(null);
            for (int i = 0; handler != null && i < harvest.requests.size(); i++) {
                WebhookRequest request = harvest.requests.get(i);
                List<String> first = harvest.idsByRequest.get(i);
                if (first == null) {
                    continue;
                }
                List<String> second = new ArrayList<>();
                try {
                    WebhookResult result = handler.handle(WebhookRequests.from(request).receivedAt(later).build());
                    for (RawRecord record : result.records()) {
                        List<String> ids = ids(normalize(rule, redelivery, record, describe(i, request) + ", redelivered"));
                        if (ids == null) {
                            second = null;
                            break;
                        }
                        second.addAll(ids);
                    }
                } catch (RuntimeException e) {
                    rule.add(describe(i, request) + " redelivered one second later was refused: "
                            + e.getClass().getSimpleName() + ": " + e.getMessage());
                    continue;
                }
                if (second != null && !first.equals(second)) {
                    rule.add(describe(i, request) + " handled twice (a redelivery one second later) gave ids " + first
                            + " then " + second + "; derive ids from the channel's own ids, not from time or randomness");
                }
            }
        }
        // Different records, different ids.
        Map<String, String> originById = new LinkedHashMap<>();
        for (Sampled sampled : harvest.records) {
            for (String id : new LinkedHashSet<>(ids(sampled.events))) {
                String seen = originById.putIfAbsent(id, sampled.origin);
                if (seen != null) {
                    rule.add("event id '" + id + "' comes from both " + seen + " and " + sampled.origin
                            + "; different channel events need different ids (or make the samples different events)");
                }
            }
        }
    }

    /**
     * Rule {@code secrets-not-in-output}: no secret value in events, replies, records, error and check
     * messages, or the log.
     */
    @Test
    @Order(11)
    @DisplayName("secrets-not-in-output: no secret value appears in events, replies, records or messages")
    public final void secretsNotInOutput() {
        Rule rule = rule("secrets-not-in-output");
        ConfigSchema schema = schema(rule);
        Map<String, String> config = validConfig(channelBaseUrl());
        Set<String> secrets = secretValues(schema, config);
        Map<String, String> outputs = new LinkedHashMap<>();
        if (producesRecords(describe(rule), config)) {
            try (Harvest harvest = harvest(rule)) {
                collectOutputs(harvest, outputs);
            }
        }
        stubValidCredentials(channelServer.getRuntimeInfo().getWireMock());
        try (ConnectorInstance instance = open(rule, config)) {
            CheckResult result = check(rule, instance);
            if (result != null) {
                outputs.put("check() message", result.message());
            }
        }
        addLogs(outputs);
        outputs.forEach((where, text) -> leaks(secrets, text).forEach(key ->
                rule.add(where + " contains the value of secret '" + key + "'")));
        rule.assertNone();
    }

    /** What every instance opened in this test logged, one entry per instance. */
    private void addLogs(Map<String, String> outputs) {
        for (int i = 0; i < contexts.size(); i++) {
            outputs.put("the log of instance #" + (i + 1) + " opened in this test", String.join("\n", contexts.get(i).logLines()));
        }
    }

    private void collectOutputs(Harvest harvest, Map<String, String> outputs) {
        for (int i = 0; i < harvest.requests.size(); i++) {
            WebhookResult result = harvest.results.get(i);
            if (result != null) {
                outputs.put(describe(i, harvest.requests.get(i)) + " reply",
                        result.reply().contentType() + "\n" + new String(result.reply().body(), StandardCharsets.UTF_8));
            }
        }
        for (Sampled sampled : harvest.records) {
            RawRecord r = sampled.record;
            outputs.put(sampled.origin + " (raw record key, attributes and payload)",
                    r.key() + "\n" + r.attributes() + "\n" + new String(r.payload(), StandardCharsets.UTF_8));
            for (CustomerEvent event : sampled.events) {
                String json;
                try {
                    json = CanonicalEventJson.toJson(event);
                } catch (RuntimeException e) {
                    json = String.valueOf(event);
                }
                outputs.put(sampled.origin + ", event '" + event.id() + "'", json);
            }
        }
        if (!harvest.requests.isEmpty()) {
            WebhookHandler handler = harvest.instance.webhook().orElse(null);
            for (int i = 0; handler != null && i < harvest.requests.size(); i++) {
                try {
                    handler.handle(forge(harvest.requests.get(i)));
                } catch (RuntimeException e) {
                    outputs.put(describe(i, harvest.requests.get(i)) + " forged, error message", String.valueOf(e.getMessage()));
                }
            }
        }
    }

    /**
     * Rule {@code poll-checkpoints-forward}: polling from no checkpoint until caught up, every
     * checkpoint is set and none is earlier than the one before.
     */
    @Test
    @Order(12)
    @DisplayName("poll-checkpoints-forward: polling until caught up, checkpoints are set and only move forward")
    public final void pollCheckpointsForward() {
        Rule rule = rule("poll-checkpoints-forward");
        optInToPolling(rule);
        Optional<Comparator<String>> order = checkpointOrder();
        resetPollSource(rule, "before polling from no checkpoint");
        try (ConnectorInstance instance = open(rule, validConfig(channelBaseUrl()))) {
            Drain drain = drain(poller(rule, instance), Optional.empty(), true, "");
            if (drain.failure != null) {
                rule.add(drain.failure);
            }
            List<String> passed = new ArrayList<>();
            for (int i = 0; i < drain.polls.size(); i++) {
                Poll poll = drain.polls.get(i);
                String next = poll.result.nextCheckpoint();
                String what = "poll #" + (i + 1) + " from " + show(poll.from);
                if (next.isBlank()) {
                    rule.add(what + " returned a blank nextCheckpoint; return the position to resume from");
                    continue;
                }
                if (poll.from.isPresent()) {
                    passed.add(poll.from.get());
                    if (order.isPresent() && order.get().compare(next, poll.from.get()) < 0) {
                        rule.add(what + " returned checkpoint '" + next + "', earlier than the one it was given;"
                                + " a checkpoint may only move forward, or the hub reads records again forever");
                    } else if (!next.equals(poll.from.get()) && passed.contains(next)) {
                        rule.add(what + " returned checkpoint '" + next + "', which was passed before: checkpoints " + passed);
                    }
                }
            }
            if (drain.recordCount() == 0) {
                rule.add("polling from no checkpoint returned no records; stubPollSource() must stub pages with records");
            }
        }
        rule.assertNone();
    }

    /**
     * Rule {@code poll-resumable-after-crash}: a fetched but uncommitted batch comes again with the same
     * event ids after a crash, and polling on reaches the same end state.
     */
    @Test
    @Order(13)
    @DisplayName("poll-resumable-after-crash: re-polling from the committed checkpoint repeats the lost batch with the same ids and ends the same")
    public final void pollResumableAfterCrash() {
        Rule rule = rule("poll-resumable-after-crash");
        optInToPolling(rule);
        Map<String, String> config = validConfig(channelBaseUrl());
        // The run without a crash, as the reference.
        List<List<String>> reference = new ArrayList<>();
        String referenceEnd;
        boolean referenceStartsWithRecords;
        resetPollSource(rule, "before the reference run");
        try (ConnectorInstance instance = open(rule, config)) {
            Drain drain = drainOrAbort(rule, poller(rule, instance), Optional.empty(), true, "");
            referenceEnd = drain.end();
            referenceStartsWithRecords = !drain.polls.isEmpty() && !drain.polls.get(0).result.records().isEmpty();
            for (Poll poll : drain.polls) {
                if (!poll.result.records().isEmpty()) {
                    reference.add(eventIds(rule, instance, poll, "without a crash"));
                }
            }
        }
        if (reference.size() < 2) {
            throw rule.abort("polling from no checkpoint gave " + reference.size() + " batch(es) with records;"
                    + " stubPollSource() must stub at least two pages with records so a crash between them can be checked");
        }
        // The source as it was before the reference run, for sources that reading consumes.
        resetPollSource(rule, "before the crash run, after the reference run");
        // First life: the first batch is committed, the second fetched, then the node dies before
        // the second is durable: committed() is not called and the instance is never closed.
        ConnectorInstance crashed = open(rule, config);
        Poller firstLife = poller(rule, crashed);
        Poll first = pollOnce(rule, firstLife, Optional.empty(), "first life, poll #1");
        if (referenceStartsWithRecords && first.result.records().isEmpty()) {
            throw rule.abort("polling from no checkpoint gave records in the reference run but none when polled again for"
                    + " the crash run: the reference run consumed the source. If reading changes it (committed() moves"
                    + " finished files, confirms queue messages), restore it in resetPollSource(), which the kit calls"
                    + " before each run");
        }
        committed(rule, firstLife, first.result.nextCheckpoint());
        Poll lost = pollOnce(rule, firstLife, Optional.of(first.result.nextCheckpoint()), "first life, poll #2");
        List<String> committedIds = eventIds(rule, crashed, first, "first life");
        List<String> lostIds = eventIds(rule, crashed, lost, "first life, never committed");
        if (!committedIds.equals(reference.get(0))) {
            rule.add("the first batch gave event ids " + committedIds + " in one run and " + reference.get(0)
                    + " in another; derive ids from the channel's own ids");
        }
        // Second life, on a fresh instance (another node, or the restarted one), from the committed checkpoint.
        Set<String> afterCrash = new LinkedHashSet<>(committedIds);
        try (ConnectorInstance restarted = open(rule, config)) {
            Drain resumed = drainOrAbort(rule, poller(rule, restarted), Optional.of(first.result.nextCheckpoint()), true,
                    "after the crash, ");
            List<String> repeated = resumed.polls.isEmpty() ? List.of()
                    : eventIds(rule, restarted, resumed.polls.get(0), "after the crash");
            if (!repeated.containsAll(lostIds)) {
                List<String> missing = new ArrayList<>(lostIds);
                missing.removeAll(repeated);
                rule.add("the batch fetched from checkpoint '" + first.result.nextCheckpoint()
                        + "' but never committed had event ids " + lostIds + "; polling again from that checkpoint after"
                        + " the crash gave " + repeated + ": missing " + missing
                        + " (a record read again must get the same event id, or the crash loses or duplicates it)");
            }
            for (Poll poll : resumed.polls) {
                if (!poll.result.records().isEmpty()) {
                    afterCrash.addAll(eventIds(rule, restarted, poll, "after the crash"));
                }
            }
            if (!resumed.end().equals(referenceEnd)) {
                rule.add("after the crash polling caught up at checkpoint '" + resumed.end() + "', without a crash at '"
                        + referenceEnd + "'");
            }
        }
        Set<String> expected = new LinkedHashSet<>();
        reference.forEach(expected::addAll);
        if (!afterCrash.equals(expected)) {
            Set<String> lostForGood = new LinkedHashSet<>(expected);
            lostForGood.removeAll(afterCrash);
            Set<String> unexpected = new LinkedHashSet<>(afterCrash);
            unexpected.removeAll(expected);
            rule.add("with a crash the events were not those of a run without one: " + (lostForGood.isEmpty() ? ""
                    : "lost " + lostForGood + (unexpected.isEmpty() ? "" : ", ")) + (unexpected.isEmpty() ? ""
                    : "ids a run without a crash does not have " + unexpected));
        }
        rule.assertNone();
    }

    /**
     * Rule {@code action-errors-classified}: a 5xx or an unreachable channel throws
     * {@link TransientException}, a quota {@link RateLimitedException} with a positive retry-after, a
     * refusal {@link BadInputException}.
     */
    @Test
    @Order(14)
    @DisplayName("action-errors-classified: 5xx and unreachable -> TransientException, quota -> RateLimitedException, refused -> BadInputException")
    public final void actionErrorsClassified() {
        Rule rule = rule("action-errors-classified");
        WireMock channel = channelServer.getRuntimeInfo().getWireMock();
        eachApplicableAction(rule, () -> { }, (sender, action, what, secrets) -> {
            for (ActionAnswer answer : List.of(ActionAnswer.SERVER_ERROR, ActionAnswer.RATE_LIMITED, ActionAnswer.REJECTED)) {
                channelServer.resetAll();
                stubActionAnswer(channel, answer);
                expectClassified(rule, sender, action, what + " when the channel answers " + answer, answer, secrets);
            }
            channelServer.resetAll();
            channelServer.stubFor(WireMock.any(WireMock.anyUrl())
                    .willReturn(WireMock.aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            expectClassified(rule, sender, action, what + " when the channel is unreachable (connection reset)",
                    ActionAnswer.SERVER_ERROR, secrets);
        });
        rule.assertNone();
    }

    /**
     * Rule {@code action-idempotency-key}: an accepted action returns a result, and the requests that
     * send it carry the action id, the same again when it is sent again.
     */
    @Test
    @Order(15)
    @DisplayName("action-idempotency-key: an accepted action returns a result and the channel receives the action id as idempotency key")
    public final void actionIdempotencyKey() {
        Rule rule = rule("action-idempotency-key");
        WireMock channel = channelServer.getRuntimeInfo().getWireMock();
        eachApplicableAction(rule, () -> stubActionAnswer(channel, ActionAnswer.ACCEPTED), (sender, action, described, secrets) -> {
            // Sent twice: the hub repeats an action whose outcome a crash left unknown.
            for (String attempt : List.of("", " sent again")) {
                String what = described + attempt;
                channelServer.resetRequests();
                ActionResult result;
                try {
                    result = sender.send(action);
                } catch (RuntimeException e) {
                    rule.add(what + " with the channel accepting it threw " + e.getClass().getSimpleName() + ": "
                            + redact(String.valueOf(e.getMessage()), secrets));
                    continue;
                }
                if (result == null) {
                    rule.add(what + ": send() returned null; return an ActionResult");
                } else {
                    leaks(secrets, result.channelReference() + "\n" + result.detail()).forEach(key ->
                            rule.add(what + ": the ActionResult contains the value of secret '" + key + "'"));
                }
                List<LoggedRequest> sent = channelRequests();
                if (sent.isEmpty()) {
                    rule.add(what + ": send() made no request to the channel");
                } else if (sent.stream().noneMatch(request -> carries(request, action.id()))) {
                    rule.add(what + ": no request carried the action id '" + action.id() + "' (in the URL, a header"
                            + " or the body); pass it on as the channel's idempotency key so a repeated action is done once."
                            + " Sent: " + sent.stream().map(r -> r.getMethod() + " " + r.getUrl()
                                    + " headers " + r.getHeaders().all().stream().map(HttpHeader::key).toList()).toList());
                }
            }
        });
        rule.assertNone();
    }

    /**
     * The default {@link #checkpointOrder()}: numbers numerically, ISO-8601 instants or offset
     * date-times chronologically, anything else (or a mix) as text.
     */
    public static int compareCheckpoints(String a, String b) {
        try {
            return new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b));
        } catch (NumberFormatException notNumbers) {
            // try times next
        }
        Optional<Instant> first = instant(a);
        Optional<Instant> second = instant(b);
        if (first.isPresent() && second.isPresent()) {
            return first.get().compareTo(second.get());
        }
        return a.compareTo(b);
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException notAnInstant) {
            try {
                return Optional.of(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException notADateTime) {
                return Optional.empty();
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Machinery
    // ---------------------------------------------------------------------------------------

    /** One rule's findings; fails the test with {@code [rule] ...} messages. */
    private static final class Rule {
        private final String name;
        private final List<String> problems = new ArrayList<>();

        Rule(String name) {
            this.name = name;
        }

        void add(String problem) {
            problems.add(problem);
        }

        /** Fails now: the rule cannot be checked further. */
        AssertionFailedError abort(String problem) {
            problems.add(problem);
            return failure();
        }

        /** The failure with the problems found so far. */
        AssertionFailedError failure() {
            return new AssertionFailedError(message());
        }

        void assertNone() {
            if (!problems.isEmpty()) {
                throw new AssertionFailedError(message());
            }
        }

        private String message() {
            if (problems.size() == 1) {
                return "[" + name + "] " + problems.get(0);
            }
            StringBuilder text = new StringBuilder("[" + name + "] " + problems.size() + " problems:");
            problems.forEach(p -> text.append("\n  - ").append(p));
            return text.toString();
        }
    }

    /** Every rule, in the order the tests run. */
    private static final List<String> RULES = List.of("descriptor-valid", "capabilities-match", "secrets-marked",
            "check-ok", "check-reports-bad-credentials", "webhook-forged-refused", "webhook-replay-refused",
            "webhook-signed-accepted", "webhook-hostile-body-contained", "normalized-valid", "ids-deterministic", "secrets-not-in-output",
            "poll-checkpoints-forward", "poll-resumable-after-crash", "action-errors-classified", "action-idempotency-key");

    /** The rules a connector may declare {@linkplain #notApplicable() not applicable}: the opt-in ones. */
    private static final List<String> OPT_IN_RULES = List.of("poll-checkpoints-forward", "poll-resumable-after-crash",
            "action-errors-classified", "action-idempotency-key");

    /** The rules that take an action kind in brackets in {@link #notApplicable()}. */
    private static final Set<String> ACTION_RULES = Set.of("action-errors-classified", "action-idempotency-key");

    /** A {@link #notApplicable()} key: a rule name, and an action kind in brackets. */
    private static final Pattern NOT_APPLICABLE_KEY = Pattern.compile("([^\\[\\]]*)(?:\\[([^\\[\\]]*)\\])?");

    /**
     * Starts checking rule {@code name}: fails it when {@link #notApplicable()} is wrong, and skips
     * it, with the connector's reason, when {@code notApplicable()} names it.
     */
    private Rule rule(String name) {
        Rule rule = new Rule(name);
        String reason = notApplicable(rule).get(name);
        if (reason != null) {
            Assumptions.abort("not applicable (notApplicable()): " + reason);
        }
        return rule;
    }

    /** {@link #notApplicable()}, checked: every key an opt-in rule (with an action kind a sample has), every reason given. */
    private Map<String, String> notApplicable(Rule rule) {
        Map<String, String> declared = callHook(rule, "notApplicable()", this::notApplicable);
        if (declared == null) {
            throw rule.abort("notApplicable() returned null; return an empty map when every rule applies");
        }
        List<String> mistakes = new ArrayList<>();
        Set<String> sampleKinds = null;
        for (Map.Entry<String, String> entry : declared.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Matcher parts = NOT_APPLICABLE_KEY.matcher(key);
            String name = parts.matches() ? parts.group(1) : key;
            String kind = parts.matches() ? parts.group(2) : null;
            if (!RULES.contains(name)) {
                mistakes.add("notApplicable() names '" + key + "', which is not a rule of this kit"
                        + nearest(name, OPT_IN_RULES).map(r -> " (did you mean '" + r + "'?)").orElse("")
                        + "; the rules it may name are " + OPT_IN_RULES);
            } else if (!OPT_IN_RULES.contains(name)) {
                mistakes.add("notApplicable() names '" + key + "', a rule every connector must pass; only the opt-in rules "
                        + OPT_IN_RULES + " may be declared not applicable");
            } else if (kind != null && !ACTION_RULES.contains(name)) {
                mistakes.add("notApplicable() names '" + key + "', but only the action rules " + new TreeSet<>(ACTION_RULES)
                        + " take an action kind in brackets");
            } else if (kind != null) {
                if (sampleKinds == null) {
                    sampleKinds = new TreeSet<>();
                    List<OutboundAction> samples = actionSamples(rule);
                    for (OutboundAction action : samples == null ? List.<OutboundAction>of() : samples) {
                        sampleKinds.add(action.kind());
                    }
                }
                if (!sampleKinds.contains(kind)) {
                    mistakes.add("notApplicable() names '" + key + "', but no actionSamples() action is of kind '" + kind
                            + "'" + nearest(kind, sampleKinds).map(k -> " (did you mean '" + k + "'?)").orElse("")
                            + "; the samples' kinds are " + sampleKinds);
                }
            }
            if (entry.getValue() == null || entry.getValue().isBlank()) {
                mistakes.add("notApplicable() gives no reason for '" + key + "'; say why it does not apply: the kit"
                        + " reports it as the reason the rule is skipped");
            }
        }
        if (!mistakes.isEmpty()) {
            mistakes.forEach(rule::add);
            throw rule.failure();
        }
        return declared;
    }

    /**
     * The action kinds {@link #notApplicable()} leaves out of this action rule; each published as a
     * report entry. Skips the rule when no sample remains.
     */
    private Set<String> kindsNotApplicable(Rule rule, List<OutboundAction> samples) {
        Map<String, String> reasons = new LinkedHashMap<>();
        notApplicable(rule).forEach((key, reason) -> {
            Matcher parts = NOT_APPLICABLE_KEY.matcher(key);
            if (parts.matches() && rule.name.equals(parts.group(1)) && parts.group(2) != null) {
                reasons.put(parts.group(2), reason);
            }
        });
        if (reasons.isEmpty()) {
            return Set.of();
        }
        List<String> explained = new ArrayList<>();
        reasons.forEach((kind, reason) -> explained.add("actions of kind '" + kind + "' left out: " + reason));
        if (samples.stream().allMatch(action -> reasons.containsKey(action.kind()))) {
            Assumptions.abort("not applicable (notApplicable()) to any action sample: " + String.join("; ", explained));
        }
        explained.forEach(text -> reporter.publishEntry("not-applicable", text));
        return reasons.keySet();
    }

    /** The candidate closest to {@code text} by edit distance, if it is close enough to be a typo. */
    private static Optional<String> nearest(String text, java.util.Collection<String> candidates) {
        String best = null;
        int distance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = editDistance(text.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < distance) {
                best = candidate;
                distance = d;
            }
        }
        return best != null && distance <= Math.max(2, best.length() / 4) ? Optional.of(best) : Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Calls {@link #resetPollSource}; {@code when} says which run it prepares. */
    private void resetPollSource(Rule rule, String when) {
        callHook(rule, "resetPollSource() " + when, () -> {
            resetPollSource(channelServer.getRuntimeInfo().getWireMock());
            return null;
        });
    }

    /**
     * Calls a hook of the test; when it throws (other than to skip the test with an assumption), the
     * rule fails naming {@code call}, the hook as called.
     */
    private static <T> T callHook(Rule rule, String call, Supplier<T> hook) {
        try {
            return hook.get();
        } catch (TestAbortedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw rule.abort(call + " threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** One poll: where it started and what it returned. */
    private record Poll(Optional<String> from, PollResult result, String what) {
    }

    /** Polls from one checkpoint until caught up; {@code failure} says why it stopped early. */
    private static final class Drain {
        final List<Poll> polls = new ArrayList<>();
        String failure;

        int recordCount() {
            return polls.stream().mapToInt(p -> p.result.records().size()).sum();
        }

        /** The checkpoint polling caught up at. */
        String end() {
            return polls.isEmpty() ? "" : polls.get(polls.size() - 1).result.nextCheckpoint();
        }
    }

    /**
     * Calls {@link #stubPollSource}. When the test does not opt in, the rule is skipped if the
     * connector does not poll, and fails if it does (see {@link #requireOptIn}).
     */
    private void optInToPolling(Rule rule) {
        boolean polls = stubPollSource(channelServer.getRuntimeInfo().getWireMock());
        if (!polls) {
            requireOptIn(rule, Capability.POLL, ConnectorInstance::poller, "a poller (poller() is present)", "no poller",
                    "stubPollSource() returned false",
                    "implement stubPollSource() to stub the channel's pull API page by page and return true",
                    "stubPollSource() returned false: the connector does not poll");
        }
        if (!describe(rule).capabilities().contains(Capability.POLL)) {
            throw rule.abort("stubPollSource() opts in to the poll rules but the descriptor does not declare POLL");
        }
        // The poll rules normalize what they poll, like the normalize rules.
        stubNormalizerLookups(channelServer.getRuntimeInfo().getWireMock());
    }

    /** What each opt-in rule proves, for the failure when a connector that needs it does not opt in. */
    private static final Map<String, String> AT_STAKE = Map.of(
            "poll-checkpoints-forward", "that its checkpoints are set and only move forward",
            "poll-resumable-after-crash", "that a batch lost in a crash comes again with the same event ids",
            "action-errors-classified", "that its errors tell the hub whether to retry, wait or give up",
            "action-idempotency-key", "that an accepted action returns a result and carries its idempotency key");

    /**
     * The test did not opt in to {@code rule}'s pair of rules. The rule applies, and so fails, when
     * the instance opened with {@link #validConfig} offers the capability (whatever the descriptor
     * says: {@code capabilities-match} checks that) or the descriptor declares it; it is skipped with
     * {@code skipReason} when neither does. {@link #notApplicable()} has been consulted already: a
     * rule it names never gets here.
     */
    private void requireOptIn(Rule rule, Capability capability, Function<ConnectorInstance, Optional<?>> accessor,
                              String offeredText, String absentText, String notOptedIn, String howTo, String skipReason) {
        boolean declared = describe(rule).capabilities().contains(capability);
        boolean offered;
        try (ConnectorInstance instance = open(rule, validConfig(channelBaseUrl()))) {
            Optional<?> found = accessor.apply(instance);
            offered = found != null && found.isPresent();
        }
        if (!declared && !offered) {
            Assumptions.abort(skipReason);
        }
        String unchecked = ", so nothing checks " + AT_STAKE.get(rule.name) + ": ";
        String orNotApplicable = ", or name '" + rule.name + "' in notApplicable() with the reason";
        if (offered) {
            throw rule.abort("the instance opened with validConfig() offers " + offeredText
                    + (declared ? " and the descriptor declares " + capability
                            : " (the descriptor does not declare " + capability + ": see capabilities-match)")
                    + ", but " + notOptedIn + unchecked + howTo + orNotApplicable + " it cannot apply to this channel");
        }
        throw rule.abort("the descriptor declares " + capability + ", but " + notOptedIn + " and the instance opened with"
                + " validConfig() offers " + absentText + unchecked + howTo + ", with a validConfig() whose instance offers "
                + capability + orNotApplicable + " an instance configured like validConfig() has none");
    }

    private static Poller poller(Rule rule, ConnectorInstance instance) {
        Optional<Poller> poller = instance.poller();
        if (poller == null || poller.isEmpty()) {
            throw rule.abort("stubPollSource() opts in to the poll rules but the instance's poller() is empty");
        }
        return poller.get();
    }

    /**
     * Polls as the hub does, from {@code from} until a poll returns no records and no {@code hasMore},
     * calling {@link Poller#committed} after each batch when {@code commit}.
     */
    private static Drain drain(Poller poller, Optional<String> from, boolean commit, String life) {
        Drain drain = new Drain();
        Optional<String> checkpoint = from;
        for (int i = 0; i < MAX_POLLS; i++) {
            String what = life + "poll #" + (i + 1) + " from " + show(checkpoint);
            PollResult result;
            try {
                result = poller.poll(checkpoint);
            } catch (RuntimeException e) {
                drain.failure = what + " threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
                return drain;
            }
            if (result == null) {
                drain.failure = what + " returned null";
                return drain;
            }
            drain.polls.add(new Poll(checkpoint, result, what));
            if (commit) {
                try {
                    poller.committed(result.nextCheckpoint());
                } catch (RuntimeException e) {
                    drain.failure = what + ": committed('" + result.nextCheckpoint() + "') threw "
                            + e.getClass().getSimpleName() + ": " + e.getMessage();
                    return drain;
                }
            }
            if (result.records().isEmpty() && !result.hasMore()) {
                return drain;
            }
            checkpoint = Optional.of(result.nextCheckpoint());
        }
        drain.failure = life + "polling did not catch up after " + MAX_POLLS + " polls, each returning records or hasMore;"
                + " stub an empty answer after the last page, and make sure checkpoints advance";
        if (drain.polls.size() > 1) {
            drain.failure += "; checkpoints " + drain.polls.stream().limit(8).map(p -> p.result.nextCheckpoint()).toList();
        }
        return drain;
    }

    private static Drain drainOrAbort(Rule rule, Poller poller, Optional<String> from, boolean commit, String life) {
        Drain drain = drain(poller, from, commit, life);
        if (drain.failure != null) {
            throw rule.abort(drain.failure);
        }
        return drain;
    }

    private static Poll pollOnce(Rule rule, Poller poller, Optional<String> from, String what) {
        try {
            PollResult result = poller.poll(from);
            if (result == null) {
                throw rule.abort(what + " from " + show(from) + " returned null");
            }
            return new Poll(from, result, what + " from " + show(from));
        } catch (AssertionFailedError e) {
            throw e;
        } catch (RuntimeException e) {
            throw rule.abort(what + " from " + show(from) + " threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static void committed(Rule rule, Poller poller, String checkpoint) {
        try {
            poller.committed(checkpoint);
        } catch (RuntimeException e) {
            throw rule.abort("committed('" + checkpoint + "') threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The event ids a poll's records normalize to, in order. */
    private static List<String> eventIds(Rule rule, ConnectorInstance instance, Poll poll, String life) {
        List<String> ids = new ArrayList<>();
        List<RawRecord> records = poll.result.records();
        for (int r = 0; r < records.size(); r++) {
            String origin = recordOrigin(poll.what + " (" + life + ")", r, records.get(r));
            List<String> recordIds = ids(normalize(rule, instance, records.get(r), origin));
            if (recordIds != null) {
                ids.addAll(recordIds);
            }
        }
        return ids;
    }

    private static String show(Optional<String> checkpoint) {
        return checkpoint.map(c -> "checkpoint '" + c + "'").orElse("no checkpoint");
    }

    /**
     * Calls {@link #actionSamples()}. When the test does not opt in, the rule is skipped if the
     * connector sends no actions, and fails if it does (see {@link #requireOptIn}).
     */
    private List<OutboundAction> optInToActions(Rule rule) {
        List<OutboundAction> samples = actionSamples(rule);
        if (samples == null || samples.isEmpty()) {
            requireOptIn(rule, Capability.ACTIONS, ConnectorInstance::actions, "an action sender (actions() is present)",
                    "no action sender", "actionSamples() is empty",
                    "implement actionSamples() with actions of the kinds the sender lists in kinds()",
                    "actionSamples() is empty: the connector sends no actions");
        }
        if (!describe(rule).capabilities().contains(Capability.ACTIONS)) {
            throw rule.abort("actionSamples() opts in to the action rules but the descriptor does not declare ACTIONS");
        }
        return samples;
    }

    /** {@link #actionSamples()}, with a failure naming the hook when it throws. */
    private List<OutboundAction> actionSamples(Rule rule) {
        return callHook(rule, "actionSamples()", this::actionSamples);
    }

    /** What an action rule checks of one action sample, described for messages, with the secret values to look for. */
    @FunctionalInterface
    private interface ActionCheck {
        void check(ActionSender sender, OutboundAction action, String what, Set<String> secrets);
    }

    /**
     * Opts in to the action rules ({@link #optInToActions}), runs {@code stubChannel}, opens an
     * instance with {@link #validConfig} and hands each {@link #actionSamples()} action to
     * {@code check}, except those of a kind {@link #notApplicable()} leaves out of this rule.
     */
    private void eachApplicableAction(Rule rule, Runnable stubChannel, ActionCheck check) {
        List<OutboundAction> samples = optInToActions(rule);
        Set<String> leftOut = kindsNotApplicable(rule, samples);
        ConfigSchema schema = schema(rule);
        Map<String, String> config = validConfig(channelBaseUrl());
        Set<String> secrets = secretValues(schema, config);
        stubChannel.run();
        try (ConnectorInstance instance = open(rule, config)) {
            ActionSender sender = sender(rule, instance, samples);
            for (int i = 0; i < samples.size(); i++) {
                OutboundAction action = samples.get(i);
                if (!leftOut.contains(action.kind())) {
                    check.check(sender, action, describe(i, action), secrets);
                }
            }
        }
    }

    private static ActionSender sender(Rule rule, ConnectorInstance instance, List<OutboundAction> samples) {
        Optional<ActionSender> found = instance.actions();
        if (found == null || found.isEmpty()) {
            throw rule.abort("actionSamples() opts in to the action rules but the instance's actions() is empty");
        }
        ActionSender sender = found.get();
        Set<String> kinds = sender.kinds();
        for (int i = 0; i < samples.size(); i++) {
            if (kinds == null || !kinds.contains(samples.get(i).kind())) {
                throw rule.abort(describe(i, samples.get(i)) + " is of a kind the sender does not list in kinds() " + kinds);
            }
        }
        return sender;
    }

    private static void expectClassified(Rule rule, ActionSender sender, OutboundAction action, String what,
                                         ActionAnswer answer, Set<String> secrets) {
        Class<? extends ConnectorException> wanted = switch (answer) {
            case SERVER_ERROR -> TransientException.class;
            case RATE_LIMITED -> RateLimitedException.class;
            case REJECTED -> BadInputException.class;
            case ACCEPTED -> throw new IllegalArgumentException("an accepted action throws nothing");
        };
        String consequence = switch (answer) {
            case SERVER_ERROR -> "so the hub retries it with backoff";
            case RATE_LIMITED -> "so the hub waits retryAfter() and retries";
            default -> "so the hub gives up on it instead of retrying what can never succeed";
        };
        try {
            ActionResult result = sender.send(action);
            rule.add(what + ": send() returned " + (result == null ? "null" : "a result (" + result.detail() + ")")
                    + "; it must throw " + wanted.getSimpleName() + " " + consequence);
        } catch (RuntimeException e) {
            String message = redact(String.valueOf(e.getMessage()), secrets);
            if (!wanted.isInstance(e)) {
                rule.add(what + ": threw " + e.getClass().getSimpleName() + " (" + message + "); it must throw "
                        + wanted.getSimpleName() + " " + consequence);
            } else if (e instanceof RateLimitedException limited
                    && (limited.retryAfter().isNegative() || limited.retryAfter().isZero())) {
                rule.add(what + ": threw RateLimitedException with retryAfter " + limited.retryAfter()
                        + "; say how long to wait, as the channel said or as its quota implies");
            }
            leaks(secrets, String.valueOf(e.getMessage())).forEach(key ->
                    rule.add(what + ": the error message contains the value of secret '" + key + "'"));
        }
    }

    private static String describe(int index, OutboundAction action) {
        return "action #" + (index + 1) + " (kind '" + action.kind() + "', id '" + action.id() + "')";
    }

    /** Whether the request carries {@code value} in its URL (raw or decoded), a header or its body. */
    private static boolean carries(LoggedRequest request, String value) {
        String url = request.getUrl();
        if (url.contains(value) || java.net.URLDecoder.decode(url, StandardCharsets.UTF_8).contains(value)) {
            return true;
        }
        for (HttpHeader header : request.getHeaders().all()) {
            if (header.values().stream().anyMatch(v -> v.contains(value))) {
                return true;
            }
        }
        String body = request.getBodyAsString();
        return body != null && body.contains(value);
    }

    /** A record, where it came from and what it normalized to. */
    private record Sampled(String origin, RawRecord record, List<CustomerEvent> events) {
    }

    /** Every signed sample handled and every record normalized, on one open instance. */
    private static final class Harvest implements AutoCloseable {
        String connectorId;
        ConnectorInstance instance;
        final List<WebhookRequest> requests = new ArrayList<>();
        final List<WebhookResult> results = new ArrayList<>();
        final List<List<String>> idsByRequest = new ArrayList<>();
        final List<Sampled> records = new ArrayList<>();

        /**
         * Normalizes {@code records} on the harvest's instance and keeps each that normalized, named
         * by {@code origin} (from its index and itself); their event ids, or null when one failed.
         */
        List<String> normalize(Rule rule, List<RawRecord> records, BiFunction<Integer, RawRecord, String> origin) {
            List<String> eventIds = new ArrayList<>();
            for (int r = 0; r < records.size(); r++) {
                String where = origin.apply(r, records.get(r));
                List<CustomerEvent> events = ConnectorAcceptanceTest.normalize(rule, instance, records.get(r), where);
                if (events == null) {
                    eventIds = null;
                    continue;
                }
                this.records.add(new Sampled(where, records.get(r), events));
                if (eventIds != null) {
                    eventIds.addAll(ids(events));
                }
            }
            return eventIds;
        }

        @Override
        public void close() {
            if (instance != null) {
                instance.close();
            }
        }
    }

    private Harvest harvest(Rule rule) {
        Harvest harvest = new Harvest();
        ConnectorDescriptor descriptor = describe(rule);
        harvest.connectorId = descriptor.id();
        Map<String, String> config = validConfig(channelBaseUrl());
        boolean webhook = descriptor.capabilities().contains(Capability.WEBHOOK);
        List<WebhookRequest> samples = webhook ? webhookSamples(rule, config) : List.of();
        List<RawRecord> extra = recordSamples(config, now());
        Assumptions.assumeTrue(producesRecords(descriptor, config),
                "the connector declares neither WEBHOOK nor POLL and recordSamples() is empty: it produces no records");
        boolean polls = stubPollSource(channelServer.getRuntimeInfo().getWireMock());
        if (samples.isEmpty() && extra.isEmpty() && !polls) {
            throw rule.abort("no records to check: provide signedWebhookSamples(), recordSamples() or stubPollSource()");
        }
        stubNormalizerLookups(channelServer.getRuntimeInfo().getWireMock());
        if (polls) {
            resetPollSource(rule, "before polling from no checkpoint");
        }
        harvest.instance = open(rule, config);
        WebhookHandler handler = samples.isEmpty() ? null : handler(rule, harvest.instance);
        for (int i = 0; i < samples.size(); i++) {
            WebhookRequest request = samples.get(i);
            harvest.requests.add(request);
            WebhookResult result;
            try {
                result = handler.handle(request);
            } catch (RuntimeException e) {
                rule.add(describe(i, request) + " was refused, so its records cannot be checked: "
                        + e.getClass().getSimpleName() + ": " + e.getMessage());
                harvest.results.add(null);
                harvest.idsByRequest.add(null);
                continue;
            }
            harvest.results.add(result);
            String source = describe(i, request);
            harvest.idsByRequest.add(harvest.normalize(rule, result == null ? List.of() : result.records(),
                    (r, record) -> recordOrigin(source, r, record)));
        }
        harvest.normalize(rule, extra, (r, record) -> "recordSamples() #" + (r + 1) + " (key '" + record.key() + "')");
        if (polls) {
            harvestPolled(rule, harvest);
        }
        return harvest;
    }

    /** Adds the records of polling from no checkpoint until caught up (the test opted in with stubPollSource()). */
    private void harvestPolled(Rule rule, Harvest harvest) {
        Optional<Poller> poller = harvest.instance.poller();
        if (poller == null || poller.isEmpty()) {
            rule.add("stubPollSource() opts in to polling but the instance's poller() is empty, so polled records cannot be checked");
            return;
        }
        Drain drain = drain(poller.get(), Optional.empty(), true, "");
        if (drain.failure != null) {
            rule.add(drain.failure);
        }
        for (Poll poll : drain.polls) {
            harvest.normalize(rule, poll.result.records(), (r, record) -> recordOrigin(poll.what, r, record));
        }
    }

    /** Whether the normalize rules apply: the connector receives or pulls records, or the test supplies some. */
    private boolean producesRecords(ConnectorDescriptor descriptor, Map<String, String> config) {
        return descriptor.capabilities().contains(Capability.WEBHOOK)
                || descriptor.capabilities().contains(Capability.POLL)
                || !recordSamples(config, now()).isEmpty();
    }

    /** The events, or null (and a problem added) when normalizing failed. */
    private static List<CustomerEvent> normalize(Rule rule, ConnectorInstance instance, RawRecord record, String origin) {
        try {
            List<CustomerEvent> events = instance.normalizer().normalize(record);
            if (events == null) {
                rule.add(origin + ": normalize() returned null; return an empty list for records without customer events");
                return null;
            }
            for (CustomerEvent event : events) {
                if (event == null) {
                    rule.add(origin + ": normalize() returned a null event");
                    return null;
                }
            }
            return events;
        } catch (RuntimeException e) {
            rule.add(origin + ": normalize() threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return null;
        }
    }

    /** Names record {@code index} (from 0) of {@code source} in messages. */
    private static String recordOrigin(String source, int index, RawRecord record) {
        return source + " record " + (index + 1) + " (key '" + record.key() + "')";
    }

    private static List<String> ids(List<CustomerEvent> events) {
        return events == null ? null : events.stream().map(CustomerEvent::id).toList();
    }

    private void expectRefused(Rule rule, WebhookHandler handler, WebhookRequest request, String what) {
        try {
            WebhookResult result = handler.handle(request);
            rule.add(what + " was accepted: " + (result == null ? "null result"
                    : "reply " + result.reply().status() + " and " + result.records().size() + " record(s)")
                    + "; it must throw BadSignatureException");
        } catch (BadSignatureException expected) {
            // refused as the hub needs: 401, count, keep nothing
        } catch (RuntimeException e) {
            rule.add(what + " threw " + e.getClass().getSimpleName() + " (" + e.getMessage()
                    + ") instead of BadSignatureException; the hub would not treat it as a forgery");
        }
    }

    /** What a webhook rule checks of one signed sample, numbered from 0, with the handler of the rule's instance. */
    @FunctionalInterface
    private interface SampleCheck {
        void check(WebhookHandler handler, int index, WebhookRequest signed);
    }

    /** Opens an instance with {@link #validConfig} and hands each signed sample to {@code check}. */
    private void eachSignedSample(Rule rule, SampleCheck check) {
        eachSample(rule, now(), false, check);
    }

    /**
     * Opens an instance with {@link #validConfig} whose clock reads {@code at} and hands each signed
     * POST sample to {@code check}; a handshake (GET) carries no body to attack.
     */
    private void eachSignedPost(Rule rule, Instant at, SampleCheck check) {
        eachSample(rule, at, true, check);
    }

    private void eachSample(Rule rule, Instant at, boolean postsOnly, SampleCheck check) {
        Map<String, String> config = validConfig(channelBaseUrl());
        List<WebhookRequest> samples = webhookSamples(rule, config);
        try (ConnectorInstance instance = open(rule, config, at)) {
            WebhookHandler handler = handler(rule, instance);
            for (int i = 0; i < samples.size(); i++) {
                if (!postsOnly || !samples.get(i).isGet()) {
                    check.check(handler, i, samples.get(i));
                }
            }
        }
    }

    private List<WebhookRequest> webhookSamples(Rule rule, Map<String, String> config) {
        ConnectorDescriptor descriptor = describe(rule);
        Assumptions.assumeTrue(descriptor.capabilities().contains(Capability.WEBHOOK),
                "the descriptor declares no WEBHOOK capability");
        List<WebhookRequest> samples = signedWebhookSamples(config, now());
        if (samples == null || samples.isEmpty()) {
            throw rule.abort("the descriptor declares WEBHOOK but signedWebhookSamples() returned no samples; "
                    + "override it with correctly signed requests");
        }
        return samples;
    }

    private WebhookHandler handler(Rule rule, ConnectorInstance instance) {
        return instance.webhook().orElseThrow(() ->
                rule.abort("the descriptor declares WEBHOOK but the instance's webhook() is empty"));
    }

    private ConnectorDescriptor describe(Rule rule) {
        ConnectorDescriptor descriptor;
        try {
            descriptor = connector().descriptor();
        } catch (RuntimeException e) {
            throw rule.abort("descriptor() threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (descriptor == null) {
            throw rule.abort("descriptor() returned null");
        }
        return descriptor;
    }

    private ConfigSchema schema(Rule rule) {
        try {
            return ConfigSchema.parse(describe(rule).configSchema());
        } catch (IllegalArgumentException e) {
            throw rule.abort(e.getMessage());
        }
    }

    private TestConnectorContext newContext(Map<String, String> config, Instant at) {
        ConnectorDescriptor descriptor = connector().descriptor();
        Set<String> secretKeys;
        try {
            secretKeys = ConfigSchema.parse(descriptor.configSchema()).secretKeys();
        } catch (IllegalArgumentException e) {
            secretKeys = Set.of();
        }
        TestConnectorContext context = new TestConnectorContext(descriptor.id(), instanceId(), config, secretKeys,
                new MutableClock(at));
        contexts.add(context);
        return context;
    }

    private ConnectorInstance open(Rule rule, Map<String, String> config) {
        return open(rule, config, now());
    }

    private ConnectorInstance open(Rule rule, Map<String, String> config, Instant at) {
        describe(rule);
        ConnectorInstance instance;
        try {
            instance = connector().open(newContext(config, at));
        } catch (RuntimeException e) {
            throw rule.abort("open() threw " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "; it must accept a well-formed configuration without calling the channel");
        }
        if (instance == null) {
            throw rule.abort("open() returned null");
        }
        return instance;
    }

    private static CheckResult check(Rule rule, ConnectorInstance instance) {
        try {
            CheckResult result = instance.check();
            if (result == null) {
                rule.add("check() returned null");
            }
            return result;
        } catch (RuntimeException e) {
            rule.add("check() threw " + e.getClass().getSimpleName() + " (" + e.getMessage()
                    + "); it must report problems in its CheckResult, never throw");
            return null;
        }
    }

    private static void compare(Rule rule, Capability capability, Set<Capability> declared, Optional<?> offered) {
        if (offered == null) {
            rule.add(capability + ": the instance's accessor returned null instead of Optional.empty()");
        } else if (!declared.contains(capability) && offered.isPresent()) {
            rule.add("the instance offers " + capability + " but the descriptor does not declare it");
        }
    }

    /** Every request the channel received in this test (WireMock's serve log). */
    private List<LoggedRequest> channelRequests() {
        return channelServer.getAllServeEvents().stream().map(ServeEvent::getRequest).toList();
    }

    private String unmatchedRequests() {
        List<LoggedRequest> unmatched = channelServer.findAllUnmatchedRequests();
        if (unmatched.isEmpty()) {
            return "";
        }
        return "; requests no stub matched: "
                + unmatched.stream().map(r -> r.getMethod() + " " + r.getUrl()).toList();
    }

    /** Secret keys: those the schema marks plus those the test expects. */
    private Set<String> secretKeys(ConfigSchema schema) {
        Set<String> keys = new TreeSet<>(schema.secretKeys());
        keys.addAll(expectedSecretKeys());
        return keys;
    }

    /** The secret values of {@code config} long enough to search for, labelled "key=..." internally. */
    private Set<String> secretValues(ConfigSchema schema, Map<String, String> config) {
        Set<String> values = new LinkedHashSet<>();
        for (String key : secretKeys(schema)) {
            String value = config.get(key);
            if (value != null && value.length() >= MIN_SECRET_LENGTH) {
                values.add(key + "=" + value);
            }
        }
        return values;
    }

    /** Names of the secrets whose value (verbatim or Base64-encoded) occurs in {@code text}. */
    private static List<String> leaks(Set<String> secrets, String text) {
        List<String> keys = new ArrayList<>();
        if (text == null) {
            return keys;
        }
        for (String labelled : secrets) {
            int cut = labelled.indexOf('=');
            String key = labelled.substring(0, cut);
            String value = labelled.substring(cut + 1);
            String base64 = Base64.getEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
            if (text.contains(value) || text.contains(base64)) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static String redact(String text, Set<String> secrets) {
        String redacted = text;
        for (String labelled : secrets) {
            redacted = redacted.replace(labelled.substring(labelled.indexOf('=') + 1), "******");
        }
        return redacted;
    }

    private static String describe(int index, WebhookRequest request) {
        return "sample #" + (index + 1) + " (" + request.method() + ", " + request.body().length + " bytes)";
    }

    /**
     * Changes the first character of the longest alphanumeric run (the digest in {@code sha256=<hex>}
     * or {@code t=1,v1=<hex>}), keeping hex text hex so the value still parses as a signature.
     */
    static String corrupt(String value) {
        Matcher runs = Pattern.compile("[0-9A-Za-z]+").matcher(value);
        int start = -1;
        int longest = 0;
        String run = "";
        while (runs.find()) {
            if (runs.end() - runs.start() > longest) {
                longest = runs.end() - runs.start();
                start = runs.start();
                run = runs.group();
            }
        }
        boolean upperHex = run.equals(run.toUpperCase(Locale.ROOT)) && !run.equals(run.toLowerCase(Locale.ROOT));
        if (start < 0) {
            return value + "0";
        }
        char[] chars = value.toCharArray();
        char c = chars[start];
        int hex = HEX.indexOf(Character.toLowerCase(c));
        if (hex >= 0) {
            char next = HEX.charAt((hex + 1) % HEX.length());
            chars[start] = upperHex ? Character.toUpperCase(next) : next;
        } else {
            chars[start] = c == 'z' ? 'g' : c == 'Z' ? 'G' : (char) (c + 1);
        }
        return new String(chars);
    }
}
