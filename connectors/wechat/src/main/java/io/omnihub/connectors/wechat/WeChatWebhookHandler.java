package io.omnihub.connectors.wechat;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.state.TokenCache;
import io.omnihub.connector.webhook.WebhookHandler;
import io.omnihub.connector.webhook.WebhookReply;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Verifies, decrypts and records what WeChat pushes to {@code /hooks/wechat/<instance>}.
 *
 * <p>Official Account ({@code mp}): the {@code signature} over (token, timestamp, nonce) is checked
 * on every request; in safe mode ({@code encrypt_type=aes}) the {@code msg_signature}, which also
 * covers the ciphertext, is checked too and the message decrypted. WeCom: every request carries
 * only {@code msg_signature}, and even the handshake's echostr is encrypted.
 *
 * <p>Plaintext mode: the signature covers no body, so the nonce of each push is remembered for the
 * timestamp tolerance, on this node and across the cluster ({@link WeChatNonces}), and the same nonce
 * with another body is refused as a replay.
 *
 * <p>Verify before parse: a request whose signature parameters are missing or wrong, whose
 * timestamp is outside the tolerance, or that replays a nonce with another body is unauthenticated,
 * so it is a {@link BadSignatureException} (401, nothing kept), whatever its body holds. An encrypted push is signed over its
 * {@code Encrypt} element, so its envelope must be read first: a body that is not such an envelope
 * cannot be authenticated and is refused the same way. Only once a request is authenticated does a
 * problem with its content (malformed XML in plaintext mode, a message that does not decrypt) count
 * as {@link BadInputException} (400, parked for an operator).
 */
public final class WeChatWebhookHandler implements WebhookHandler {

    static final String CONTENT_TYPE = "application/xml";
    private static final WebhookReply SUCCESS = WebhookReply.text("success");

    private final WeChatConfig config;
    private final Optional<WeChatCrypto> crypto;
    private final Clock clock;
    private final Optional<WeChatNonces> nonces;

    /**
     * @param config the instance's settings
     * @param clock  the hub's clock, for the timestamp tolerance
     * @param tokens the instance's cluster-wide cache, which remembers the nonces of plaintext pushes
     */
    public WeChatWebhookHandler(WeChatConfig config, Clock clock, TokenCache tokens) {
        this.config = config;
        this.crypto = config.encodingAesKey().map(key -> new WeChatCrypto(key, config.appId()));
        this.clock = clock;
        // A zero tolerance turns replay checks off; in safe mode the msg_signature covers the body anyway.
        this.nonces = crypto.isEmpty() && !config.timestampTolerance().isZero()
                ? Optional.of(new WeChatNonces(tokens, clock, config.timestampTolerance()))
                : Optional.empty();
    }

    @Override
    public WebhookResult handle(WebhookRequest request) {
        boolean get = request.isGet();
        if (!get && !"POST".equalsIgnoreCase(request.method())) {
            throw new BadSignatureException("WeChat pushes use GET and POST only; a " + request.method() + " cannot be authenticated");
        }
        if (config.kind() == WeChatConfig.Kind.WECOM) {
            return get ? wecomHandshake(request) : wecomPush(request);
        }
        return get ? officialAccountHandshake(request) : officialAccountPush(request);
    }

    private WebhookResult officialAccountHandshake(WebhookRequest request) {
        String timestamp = param(request, "timestamp");
        String nonce = param(request, "nonce");
        String echostr = param(request, "echostr");
        verifySignature(param(request, "signature"), timestamp, nonce);
        return WebhookResult.replyOnly(WebhookReply.text(echostr));
    }

    private WebhookResult officialAccountPush(WebhookRequest request) {
        String timestamp = param(request, "timestamp");
        String nonce = param(request, "nonce");
        verifySignature(param(request, "signature"), timestamp, nonce);

        boolean encrypted = request.queryParam("encrypt_type").map("aes"::equalsIgnoreCase).orElse(false);
        byte[] message;
        if (encrypted) {
            if (crypto.isEmpty()) {
                throw new BadInputException("push is encrypted (encrypt_type=aes) but 'encoding-aes-key' is not configured");
            }
            message = decryptBody(request, timestamp, nonce);
        } else {
            if (crypto.isPresent()) {
                // The plain signature does not cover the body: accepting plaintext here would let
                // anyone replaying a captured signature swap in a body of their own.
                throw new BadSignatureException("plaintext push refused: this instance is configured for safe mode");
            }
            message = request.body();
            if (nonces.isPresent()) {
                nonces.get().requireFirstUse(timestamp, nonce, message);
            }
        }
        return record(message, request);
    }

    private WebhookResult wecomHandshake(WebhookRequest request) {
        String timestamp = param(request, "timestamp");
        String nonce = param(request, "nonce");
        // Base64 never holds a space; a space here is a '+' that was URL-decoded once too often.
        String echostr = param(request, "echostr").replace(' ', '+');
        verifyMsgSignature(param(request, "msg_signature"), timestamp, nonce, echostr);
        String plain = crypto.orElseThrow().decryptToString(echostr);
        return WebhookResult.replyOnly(WebhookReply.text(plain));
    }

    private WebhookResult wecomPush(WebhookRequest request) {
        String timestamp = param(request, "timestamp");
        String nonce = param(request, "nonce");
        return record(decryptBody(request, timestamp, nonce), request);
    }

    /** Checks {@code msg_signature} over the body's {@code Encrypt} and returns the decrypted message. */
    private byte[] decryptBody(WebhookRequest request, String timestamp, String nonce) {
        String msgSignature = param(request, "msg_signature");
        // The cheap checks first: a stale or unsigned request is refused without reading its body.
        verifyTimestamp(timestamp);
        String encrypt = signedPart(request.body());
        verifyMsgSignature(msgSignature, timestamp, nonce, encrypt);
        return crypto.orElseThrow().decrypt(encrypt);
    }

    /**
     * The {@code Encrypt} value {@code msg_signature} covers. Until it is verified nothing in the
     * body is authenticated, so a body that is not an envelope with one is an unauthenticated
     * request, not bad input to keep.
     */
    private static String signedPart(byte[] body) {
        WeChatXml envelope;
        try {
            envelope = SafeXml.parse(body);
        } catch (BadInputException e) {
            throw new BadSignatureException("the body is not an encrypted WeChat envelope, so msg_signature cannot be verified ("
                    + e.getMessage() + ")");
        }
        return envelope.get("Encrypt").orElseThrow(() ->
                new BadSignatureException("the body has no <Encrypt> element for msg_signature to cover"));
    }

    private WebhookResult record(byte[] message, WebhookRequest request) {
        WeChatXml xml = SafeXml.parse(message);
        RawRecord record = new RawRecord(keyOf(xml), CONTENT_TYPE, message,
                Map.of("kind", config.kind().id(), "appId", config.appId()), request.receivedAt());
        return WebhookResult.accept(SUCCESS, List.of(record));
    }

    /**
     * The channel's own id for logs and dead letters: the MsgId of a message, else who, when and what
     * (WeChat's documented dedupe key for events).
     */
    static String keyOf(WeChatXml xml) {
        Optional<String> msgId = xml.token("MsgId");
        if (msgId.isPresent()) {
            return msgId.get();
        }
        StringJoiner key = new StringJoiner(":");
        xml.token("ExternalUserID").or(() -> xml.token("FromUserName")).ifPresent(key::add);
        xml.token("CreateTime").ifPresent(key::add);
        xml.token("ChangeType").or(() -> xml.token("Event")).or(() -> xml.token("MsgType")).ifPresent(key::add);
        return key.toString();
    }

    private void verifySignature(String signature, String timestamp, String nonce) {
        if (!WeChatSignature.matches(signature, config.token(), timestamp, nonce)) {
            throw new BadSignatureException("signature does not match the configured token");
        }
        verifyTimestamp(timestamp);
    }

    private void verifyMsgSignature(String msgSignature, String timestamp, String nonce, String encrypt) {
        if (!WeChatSignature.matches(msgSignature, config.token(), timestamp, nonce, encrypt)) {
            throw new BadSignatureException("msg_signature does not match the configured token and message");
        }
        verifyTimestamp(timestamp);
    }

    /** A signed timestamp too far from now is a replay of a captured request. */
    private void verifyTimestamp(String timestamp) {
        Duration tolerance = config.timestampTolerance();
        if (tolerance.isZero()) {
            return;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new BadSignatureException("timestamp is not a number");
        }
        // Math.absExact: a timestamp 2^63 s away would wrap around to a small skew.
        long skew;
        try {
            skew = Math.absExact(Math.subtractExact(clock.instant().getEpochSecond(), seconds));
        } catch (ArithmeticException e) {
            skew = Long.MAX_VALUE;
        }
        if (skew > tolerance.toSeconds()) {
            throw new BadSignatureException("timestamp is " + skew + " s away from the hub's clock, outside the "
                    + tolerance.toSeconds() + " s tolerance: replay refused");
        }
    }

    private static String param(WebhookRequest request, String name) {
        return request.queryParam(name)
                .filter(value -> !value.isEmpty())
                .orElseThrow(() -> new BadSignatureException("missing query parameter '" + name + "'"));
    }
}
