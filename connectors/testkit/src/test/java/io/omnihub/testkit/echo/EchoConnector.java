package io.omnihub.testkit.echo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorDescriptor;
import io.omnihub.connector.ConnectorDescriptor.Capability;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.http.HttpRequest;
import io.omnihub.connector.http.HttpResponse;
import io.omnihub.connector.source.PollResult;
import io.omnihub.connector.source.Poller;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A fake channel, "Echo", small enough to read in one sitting, used to prove the acceptance kit.
 *
 * <p>Protocol: Echo pushes {@code POST}s whose JSON body lists events; header
 * {@code X-Echo-Timestamp} holds epoch seconds and {@code X-Echo-Signature} holds
 * {@code sha256=<hex HMAC-SHA256(signing-secret, timestamp + "." + raw body)>}. Its URL handshake
 * is a {@code GET} with {@code challenge}, {@code timestamp} and {@code signature} (the same HMAC
 * over {@code timestamp + "." + challenge}), answered with the challenge. Its API answers
 * {@code GET /ping} with 200 for the right {@code Authorization: Bearer <api-key>} and 401
 * otherwise; {@code GET /v1/events?after=<seq>} with the events after sequence number {@code seq}
 * ({@code {"events":[...],"last_seq":4,"has_more":false}}); an event may name its member by
 * {@code member_ref} only, which {@code GET /v1/members/<ref>} resolves ({@code {"member":"M-0102"}});
 * {@code POST /v1/messages} with an {@code Idempotency-Key} header sends a message, and
 * {@code POST /v1/sms}, which takes no idempotency key, a text message ({@code 200}, {@code 429}
 * with {@code Retry-After} seconds, {@code 5xx}, or {@code 4xx} for a refusal).
 *
 * <p>Built well by default; each {@link Flaw} breaks one rule the kit must catch.
 */
public class EchoConnector implements ChannelConnector {

    /** A deliberate defect, one per acceptance rule the self-test proves the kit enforces. */
    public enum Flaw {
        /** The schema forgets {@code "x-secret": true} on {@code signing-secret}. */
        SECRET_NOT_MARKED,
        /** The schema's top-level type is misspelt. */
        INVALID_CONFIG_SCHEMA,
        /** The webhook skips the signature comparison. */
        ACCEPTS_FORGED_SIGNATURES,
        /** The webhook parses the body before it checks the signature. */
        PARSES_BEFORE_VERIFYING,
        /** The webhook does not check how old the signed timestamp is. */
        IGNORES_TIMESTAMP,
        /** Event ids are random. */
        RANDOM_EVENT_IDS,
        /** Events say nothing about who the customer is. */
        NO_IDENTITIES,
        /** The failed check quotes the API key it sent. */
        API_KEY_IN_CHECK_MESSAGE,
        /** Events carry the signing secret in {@code extra}. */
        SECRET_IN_EVENT,
        /** The check logs the Authorization header it sends. */
        SECRET_IN_LOG,
        /** Once caught up, the poller hands back a checkpoint one behind the last record. */
        CHECKPOINT_GOES_BACK,
        /** Polled records are numbered per poll, and event ids are made from that number. */
        POLL_IDS_PER_FETCH,
        /** Every refusal of a message, 5xx and quota included, is reported as bad input. */
        ACTION_ERRORS_ALL_BAD_INPUT,
        /** Messages are sent without the Idempotency-Key header. */
        NO_IDEMPOTENCY_KEY,
        /** A signed push that is not JSON escapes as an unchecked exception instead of bad input. */
        UNCHECKED_PARSE_ERRORS
    }

    /** The action kind of a message, sent with the action id as {@code Idempotency-Key}. */
    public static final String MESSAGE = "echo.message";

    /** The action kind of a text message: Echo's SMS API takes no idempotency key. */
    public static final String SMS = "echo.sms";

    /** How old a signed push may be. */
    public static final Duration REPLAY_TOLERANCE = Duration.ofMinutes(5);

    static final String SCHEMA = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "title": "Echo instance",
              "type": "%s",
              "required": ["base-url", "account-id", "api-key", "signing-secret"],
              "additionalProperties": false,
              "properties": {
                "base-url": { "type": "string", "format": "uri", "description": "Echo API base URL" },
                "account-id": { "type": "string", "minLength": 1 },
                "api-key": { "type": "string", "minLength": 16, "x-secret": true },
                "signing-secret": { "type": "string", "minLength": 16 %s}
              }
            }
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Echo does: receives pushes, polls its event feed, sends messages. */
    public static final Set<Capability> ALL = Set.of(Capability.WEBHOOK, Capability.POLL, Capability.ACTIONS);

    private final Set<Flaw> flaws;
    private final Set<Capability> declared;
    private final Set<Capability> offered;

    /** A well-behaved Echo connector, as the hub creates it. */
    public EchoConnector() {
        this(Set.of());
    }

    /** An Echo connector with deliberate defects. */
    public EchoConnector(Set<Flaw> flaws) {
        this(flaws, ALL, ALL);
    }

    /**
     * An Echo connector whose descriptor declares {@code declared} and whose instances offer
     * {@code offered} (each a subset of {@link #ALL}): one that only receives pushes, one whose
     * instances lack a declared capability (as a WeCom instance of the WeChat connector sends no
     * actions), or one that offers what it does not declare.
     */
    public EchoConnector(Set<Flaw> flaws, Set<Capability> declared, Set<Capability> offered) {
        this.flaws = flaws.isEmpty() ? EnumSet.noneOf(Flaw.class) : EnumSet.copyOf(flaws);
        this.declared = Set.copyOf(declared);
        this.offered = Set.copyOf(offered);
    }

    @Override
    public ConnectorDescriptor descriptor() {
        String schema = SCHEMA.formatted(
                flaws.contains(Flaw.INVALID_CONFIG_SCHEMA) ? "objekt" : "object",
                flaws.contains(Flaw.SECRET_NOT_MARKED) ? "" : ", \"x-secret\": true ");
        return new ConnectorDescriptor("echo", "Echo (acceptance kit self-test)", "1.0.0", "echo",
                declared, schema);
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new EchoInstance(context);
    }

    /** Hex HMAC-SHA256 of {@code timestamp + "." + payload} under {@code secret}. */
    public static String sign(String secret, String timestamp, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(payload));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class EchoInstance implements ConnectorInstance, WebhookHandler, Normalizer, Poller, ActionSender {

        private final ConnectorContext context;
        private final String account;
        private final String base;
        private final URI ping;

        EchoInstance(ConnectorContext context) {
            this.context = context;
            this.account = context.config().require("account-id");
            this.base = context.config().require("base-url").replaceAll("/+$", "");
            this.ping = URI.create(base + "/ping");
        }

        @Override
        public Optional<WebhookHandler> webhook() {
            return offered.contains(Capability.WEBHOOK) ? Optional.of(this) : Optional.empty();
        }

        @Override
        public Normalizer normalizer() {
            return this;
        }

        @Override
        public Optional<Poller> poller() {
            return offered.contains(Capability.POLL) ? Optional.of(this) : Optional.empty();
        }

        @Override
        public Optional<ActionSender> actions() {
            return offered.contains(Capability.ACTIONS) ? Optional.of(this) : Optional.empty();
        }

        @Override
        public PollResult poll(Optional<String> checkpoint) {
            URI events = URI.create(base + "/v1/events" + checkpoint.map(c -> "?after=" + c).orElse(""));
            HttpResponse response = context.http().send(new HttpRequest("GET", events,
                    Map.of("Authorization", List.of("Bearer " + context.config().require("api-key"))), null, null));
            if (!response.isSuccess()) {
                throw new TransientException("Echo answered HTTP " + response.status() + " to GET /v1/events");
            }
            JsonNode page;
            try {
                page = JSON.readTree(response.body());
            } catch (IOException e) {
                throw new BadInputException("Echo events page is not JSON: " + e.getMessage());
            }
            List<RawRecord> records = new ArrayList<>();
            int fetched = 0;
            for (JsonNode event : page.path("events")) {
                Map<String, String> attributes = flaws.contains(Flaw.POLL_IDS_PER_FETCH)
                        ? Map.of("account", account, "fetch", checkpoint.orElse("start") + "-" + (++fetched) + "-" + UUID.randomUUID())
                        : Map.of("account", account);
                try {
                    records.add(new RawRecord(event.path("id").asText(), "application/json",
                            JSON.writeValueAsBytes(event), attributes, context.clock().instant()));
                } catch (IOException e) {
                    throw new BadInputException("cannot copy Echo event: " + e.getMessage());
                }
            }
            String last = page.path("last_seq").asText(checkpoint.orElse("0"));
            if (records.isEmpty() && flaws.contains(Flaw.CHECKPOINT_GOES_BACK)) {
                last = Long.toString(Long.parseLong(last) - 1);
            }
            return new PollResult(records, last, page.path("has_more").asBoolean(false));
        }

        @Override
        public Set<String> kinds() {
            return Set.of(MESSAGE, SMS);
        }

        @Override
        public ActionResult send(OutboundAction action) {
            String body;
            try {
                body = JSON.writeValueAsString(Map.of("member", action.recipient().value(),
                        "text", String.valueOf(action.payload().get("text"))));
            } catch (IOException e) {
                throw new BadInputException("cannot write Echo message: " + e.getMessage());
            }
            boolean sms = SMS.equals(action.kind());
            Map<String, List<String>> headers = new java.util.HashMap<>();
            headers.put("Authorization", List.of("Bearer " + context.config().require("api-key")));
            headers.put("Content-Type", List.of("application/json"));
            if (!sms && !flaws.contains(Flaw.NO_IDEMPOTENCY_KEY)) {
                headers.put("Idempotency-Key", List.of(action.id()));
            }
            String path = sms ? "/v1/sms" : "/v1/messages";
            HttpResponse response = context.http().send(new HttpRequest("POST", URI.create(base + path),
                    headers, body.getBytes(StandardCharsets.UTF_8), null));
            int status = response.status();
            if (response.isSuccess()) {
                String messageId;
                try {
                    messageId = JSON.readTree(response.body()).path("message_id").asText(null);
                } catch (IOException e) {
                    messageId = null;
                }
                return new ActionResult(messageId, "Echo accepted the message");
            }
            if (flaws.contains(Flaw.ACTION_ERRORS_ALL_BAD_INPUT)) {
                throw new BadInputException("Echo refused the message: HTTP " + status);
            }
            if (status == 429) {
                long seconds = response.headers().entrySet().stream()
                        .filter(h -> h.getKey().equalsIgnoreCase("Retry-After"))
                        .flatMap(h -> h.getValue().stream()).findFirst().map(Long::parseLong).orElse(60L);
                throw new RateLimitedException("Echo message quota reached", Duration.ofSeconds(seconds));
            }
            if (status >= 500) {
                throw new TransientException("Echo answered HTTP " + status + " to POST " + path);
            }
            throw new BadInputException("Echo refused the message: HTTP " + status + " " + response.bodyAsUtf8());
        }

        @Override
        public CheckResult check() {
            String apiKey = context.config().require("api-key");
            HttpRequest request = new HttpRequest("GET", ping,
                    Map.of("Authorization", List.of("Bearer " + apiKey)), null, null);
            if (flaws.contains(Flaw.SECRET_IN_LOG)) {
                context.logger().log(System.Logger.Level.DEBUG, "GET {0} with {1}", ping, request.headers());
            }
            try {
                HttpResponse response = context.http().send(request);
                if (response.isSuccess()) {
                    return CheckResult.ok("Echo reachable for account " + account);
                }
                if (response.status() == 401) {
                    return CheckResult.failed(flaws.contains(Flaw.API_KEY_IN_CHECK_MESSAGE)
                            ? "Echo rejected API key " + apiKey + " (HTTP 401)"
                            : "Echo rejected the API key (HTTP 401): check api-key");
                }
                return CheckResult.failed("Echo answered HTTP " + response.status() + " to GET /ping");
            } catch (TransientException e) {
                return CheckResult.failed("Echo unreachable: " + e.getMessage());
            }
        }

        @Override
        public WebhookResult handle(WebhookRequest request) {
            if (request.isGet()) {
                String challenge = request.queryParam("challenge").orElseThrow(() -> new BadInputException("no challenge"));
                verify(request.queryParam("timestamp"), request.queryParam("signature"),
                        challenge.getBytes(StandardCharsets.UTF_8));
                return WebhookResult.replyOnly(WebhookReply.text(challenge));
            }
            String signature = request.header("X-Echo-Signature").orElse("").replaceFirst("^sha256=", "");
            if (flaws.contains(Flaw.PARSES_BEFORE_VERIFYING)) {
                read(request.body());
            }
            verify(request.header("X-Echo-Timestamp"), Optional.of(signature), request.body());
            JsonNode body = read(request.body());
            List<RawRecord> records = new ArrayList<>();
            for (JsonNode event : body.path("events")) {
                try {
                    records.add(new RawRecord(event.path("id").asText(), "application/json",
                            JSON.writeValueAsBytes(event), Map.of("account", account), request.receivedAt()));
                } catch (IOException e) {
                    throw new BadInputException("cannot copy Echo event: " + e.getMessage());
                }
            }
            context.logger().log(System.Logger.Level.DEBUG, "Echo push for account {0} with {1} event(s)",
                    account, records.size());
            return WebhookResult.accept(WebhookReply.json("{\"ok\":true}"), records);
        }

        private JsonNode read(byte[] push) {
            try {
                JsonNode body = JSON.readTree(push);
                if (body == null || !body.isObject()) {
                    throw new BadInputException("Echo push is not a JSON object");
                }
                return body;
            } catch (IOException e) {
                if (flaws.contains(Flaw.UNCHECKED_PARSE_ERRORS)) {
                    throw new UncheckedIOException(e);
                }
                throw new BadInputException("Echo push is not JSON: " + e.getMessage());
            }
        }

        private void verify(Optional<String> timestamp, Optional<String> signature, byte[] payload) {
            if (timestamp.isEmpty() || signature.isEmpty()) {
                throw new BadSignatureException("Echo push without timestamp or signature");
            }
            long seconds;
            try {
                seconds = Long.parseLong(timestamp.get());
            } catch (NumberFormatException e) {
                throw new BadSignatureException("Echo timestamp is not a number");
            }
            Instant signedAt = Instant.ofEpochSecond(seconds);
            Duration age = Duration.between(signedAt, context.clock().instant()).abs();
            if (!flaws.contains(Flaw.IGNORES_TIMESTAMP) && age.compareTo(REPLAY_TOLERANCE) > 0) {
                throw new BadSignatureException("Echo push signed " + age.toSeconds() + " s away from now");
            }
            byte[] expected = sign(context.config().require("signing-secret"), timestamp.get(), payload)
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] actual = signature.get().getBytes(StandardCharsets.US_ASCII);
            if (!flaws.contains(Flaw.ACCEPTS_FORGED_SIGNATURES) && !MessageDigest.isEqual(expected, actual)) {
                throw new BadSignatureException("Echo signature does not match");
            }
        }

        /** The member an event names by reference only: {@code GET /v1/members/<ref>}. */
        private String lookUpMember(String ref) {
            HttpResponse response = context.http().send(new HttpRequest("GET", URI.create(base + "/v1/members/" + ref),
                    Map.of("Authorization", List.of("Bearer " + context.config().require("api-key"))), null, null));
            if (!response.isSuccess()) {
                throw new TransientException("Echo answered HTTP " + response.status() + " to GET /v1/members/" + ref);
            }
            try {
                return JSON.readTree(response.body()).path("member").asText();
            } catch (IOException e) {
                throw new BadInputException("Echo member is not JSON: " + e.getMessage());
            }
        }

        @Override
        public List<CustomerEvent> normalize(RawRecord record) {
            JsonNode event;
            try {
                event = JSON.readTree(record.payload());
            } catch (IOException e) {
                throw new BadInputException("Echo record is not JSON: " + e.getMessage());
            }
            String type = switch (event.path("kind").asText()) {
                case "follow" -> EventTypes.CUSTOMER_FOLLOWED;
                case "message" -> EventTypes.MESSAGE_RECEIVED;
                default -> null;
            };
            if (type == null) {
                return List.of();
            }
            String accountId = record.attributes().getOrDefault("account", account);
            String id = flaws.contains(Flaw.RANDOM_EVENT_IDS)
                    ? "echo:" + accountId + ":" + UUID.randomUUID()
                    : record.attributes().containsKey("fetch")
                    ? "echo:" + accountId + ":" + record.attributes().get("fetch")
                    : "echo:" + accountId + ":" + event.path("id").asText();
            CustomerEvent.Builder builder = CustomerEvent.builder(id, type)
                    .source(context.connectorId(), context.instanceId())
                    .time(OffsetDateTime.parse(event.path("at").asText()))
                    .receivedAt(record.receivedAt());
            if (!flaws.contains(Flaw.NO_IDENTITIES)) {
                String member = event.hasNonNull("member") ? event.path("member").asText()
                        : lookUpMember(event.path("member_ref").asText());
                builder.identity(Identity.of(IdentityTypes.MEMBER_CARD, member));
                if (event.hasNonNull("phone")) {
                    builder.identity(Identity.phone(event.path("phone").asText()));
                }
            }
            if (EventTypes.MESSAGE_RECEIVED.equals(type)) {
                builder.message(new Message("text", event.path("text").asText()));
            }
            if (flaws.contains(Flaw.SECRET_IN_EVENT)) {
                builder.extra("signedWith", context.config().require("signing-secret"));
            }
            return List.of(builder.build());
        }
    }
}
