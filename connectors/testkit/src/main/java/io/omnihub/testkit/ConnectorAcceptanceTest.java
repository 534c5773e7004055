package io.omnihub.testkit;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.schema.CanonicalEventJson;
import io.omnihub.connector.schema.CanonicalEventValidator;
import io.omnihub.connector.schema.ConfigSchema;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.AssertionFailedError;

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
 *   <li>{@code webhook-replay-refused}: only when {@link #replayTolerance()} is set: each signed
 *       POST sample, arriving later than the tolerance allows, is refused with
 *       {@link BadSignatureException}.</li>
 *   <li>{@code webhook-signed-accepted}: each signed sample is accepted with a 2xx reply; a POST
 *       yields at least one record; the handler never calls the channel.</li>
 *   <li>{@code normalized-valid}: every record normalizes to events that pass
 *       {@link CanonicalEventValidator} (CloudEvents attributes and the SDK's data schema), the
 *       rules the hub's normalize stage applies.</li>
 *   <li>{@code ids-deterministic}: normalizing a record twice, on two instances, and handling a
 *       request twice (a redelivery) gives the same event ids; different records give different ids.</li>
 *   <li>{@code secrets-not-in-output}: no secret value appears in events, replies, records or
 *       messages.</li>
 * </ol>
 *
 * <h2>Lifecycle</h2>
 * JUnit creates one instance of the test class per test, and the kit starts a fresh WireMock
 * server (dynamic port) for each test, so hooks may keep no state between tests. Every hook is
 * called on the test thread. Instances are opened with a {@link TestConnectorContext} whose clock
 * is a {@link MutableClock} set to {@link #now()}, and whose secret keys are those the schema
 * marks. The rule tests are {@code final}: a connector cannot opt out of a rule. Subclasses may add
 * their own tests and use {@link #channel()}, {@link #channelBaseUrl()} and
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
     * is looked up through the API). Called before every rule that normalizes. The default stubs
     * nothing, for normalizers that only read the record.
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
        Rule rule = new Rule("descriptor-valid");
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
        Rule rule = new Rule("capabilities-match");
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
        Rule rule = new Rule("secrets-marked");
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
        Rule rule = new Rule("check-ok");
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
        Rule rule = new Rule("check-reports-bad-credentials");
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
        Rule rule = new Rule("webhook-forged-refused");
        Map<String, String> config = validConfig(channelBaseUrl());
        List<WebhookRequest> samples = webhookSamples(rule, config);
        try (ConnectorInstance instance = open(rule, config)) {
            WebhookHandler handler = handler(rule, instance);
            for (int i = 0; i < samples.size(); i++) {
                WebhookRequest signed = samples.get(i);
                WebhookRequest forged;
                try {
                    forged = forge(signed);
                } catch (UnsupportedOperationException e) {
                    rule.add(describe(i, signed) + ": " + e.getMessage());
                    continue;
                }
                expectRefused(rule, handler, forged, describe(i, signed) + " with a corrupted signature");
            }
        }
        rule.assertNone();
    }

    /**
     * Rule {@code webhook-replay-refused}: with {@link #replayTolerance()}, every signed POST sample
     * delivered too late throws {@link BadSignatureException}.
     */
    @Test
    @Order(7)
    @DisplayName("webhook-replay-refused: a signed request older than replayTolerance() throws BadSignatureException")
    public final void webhookReplayRefused() {
        Rule rule = new Rule("webhook-replay-refused");
        Optional<Duration> tolerance = replayTolerance();
        Assumptions.assumeTrue(tolerance.isPresent(), "replayTolerance() is empty: the channel's signature has no timestamp");
        Map<String, String> config = validConfig(channelBaseUrl());
        List<WebhookRequest> samples = webhookSamples(rule, config);
        Instant late = now().plus(tolerance.get()).plus(Duration.ofMinutes(1));
        try (ConnectorInstance instance = open(rule, config, late)) {
            WebhookHandler handler = handler(rule, instance);
            for (int i = 0; i < samples.size(); i++) {
                WebhookRequest signed = samples.get(i);
                if (signed.isGet()) {
                    continue;
                }
                WebhookRequest replayed = WebhookRequests.from(signed).receivedAt(late).build();
                expectRefused(rule, handler, replayed, describe(i, signed) + " replayed at " + late
                        + " (replayTolerance() " + tolerance.get() + " after now() " + now() + ")");
            }
        }
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
        Rule rule = new Rule("webhook-signed-accepted");
        Map<String, String> config = validConfig(channelBaseUrl());
        List<WebhookRequest> samples = webhookSamples(rule, config);
        try (ConnectorInstance instance = open(rule, config)) {
            WebhookHandler handler = handler(rule, instance);
            for (int i = 0; i < samples.size(); i++) {
                WebhookRequest signed = samples.get(i);
                WebhookResult result;
                try {
                    result = handler.handle(signed);
                } catch (RuntimeException e) {
                    rule.add(describe(i, signed) + " was refused: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                    continue;
                }
                if (result == null) {
                    rule.add(describe(i, signed) + ": handle() returned null");
                    continue;
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
            }
        }
        List<String> calls = channelServer.getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .map(r -> r.getMethod() + " " + r.getUrl())
                .toList();
        if (!calls.isEmpty()) {
            rule.add("the instance called the channel while opening or handling webhooks: " + calls
                    + "; open() and handle() must not call the channel (the hub acks within the channel's deadline)");
        }
        rule.assertNone();
    }

    /**
     * Rule {@code normalized-valid}: every record normalizes to events that pass {@link
     * CanonicalEventValidator}.
     */
    @Test
    @Order(9)
    @DisplayName("normalized-valid: every record normalizes to valid canonical events")
    public final void normalizedValid() {
        Rule rule = new Rule("normalized-valid");
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
        Rule rule = new Rule("ids-deterministic");
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
        Rule rule = new Rule("secrets-not-in-output");
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
        if (samples.isEmpty() && extra.isEmpty()) {
            throw rule.abort("no records to check: provide signedWebhookSamples() or recordSamples()");
        }
        stubNormalizerLookups(channelServer.getRuntimeInfo().getWireMock());
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
            List<String> requestIds = new ArrayList<>();
            List<RawRecord> records = result == null ? List.of() : result.records();
            for (int r = 0; r < records.size(); r++) {
                String origin = describe(i, request) + " record " + (r + 1) + " (key '" + records.get(r).key() + "')";
                List<CustomerEvent> events = normalize(rule, harvest.instance, records.get(r), origin);
                if (events == null) {
                    requestIds = null;
                    continue;
                }
                harvest.records.add(new Sampled(origin, records.get(r), events));
                if (requestIds != null) {
                    requestIds.addAll(ids(events));
                }
            }
            harvest.idsByRequest.add(requestIds);
        }
        for (int r = 0; r < extra.size(); r++) {
            String origin = "recordSamples() #" + (r + 1) + " (key '" + extra.get(r).key() + "')";
            List<CustomerEvent> events = normalize(rule, harvest.instance, extra.get(r), origin);
            if (events != null) {
                harvest.records.add(new Sampled(origin, extra.get(r), events));
            }
        }
        return harvest;
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
