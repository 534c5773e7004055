package io.omnihub.connectors.wechat;

import static io.omnihub.connectors.wechat.WeChatFixtures.AES_KEY;
import static io.omnihub.connectors.wechat.WeChatFixtures.APP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.CORP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.NONCE;
import static io.omnihub.connectors.wechat.WeChatFixtures.NOW;
import static io.omnihub.connectors.wechat.WeChatFixtures.SECRET;
import static io.omnihub.connectors.wechat.WeChatFixtures.TIMESTAMP;
import static io.omnihub.connectors.wechat.WeChatFixtures.TOKEN;
import static io.omnihub.connectors.wechat.WeChatFixtures.mpConfig;
import static io.omnihub.connectors.wechat.WeChatFixtures.mpSafeModeConfig;
import static io.omnihub.connectors.wechat.WeChatFixtures.wecomConfig;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testkit.WebhookRequests;
import io.omnihub.testkit.hostile.HostileChecks;
import io.omnihub.testkit.hostile.HostileCorpus;
import io.omnihub.testkit.hostile.HostileInput;
import io.omnihub.testkit.hostile.Observation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus of {@code wechat/hostile/}: XML bombs and external entities, broken and
 * foreign bodies, fields of the wrong kind, tampered safe-mode envelopes and ciphertext layouts,
 * signature and timestamp edge cases, each pushed through the real connector (webhook handler, then
 * normalizer) with the outcome its {@code outcomes.tsv} states.
 *
 * <p>Deliveries: {@code mp} a plaintext Official Account push, {@code mp-aes} the file encrypted for
 * a safe-mode account, {@code wecom} encrypted for WeCom, {@code wecom-raw}/{@code mp-aes-raw} the
 * file as the encrypted push's body, signed over whatever {@code <Encrypt>} it holds,
 * {@code wecom-layout} the file as the decrypted block (random, length, message, corp id, padding)
 * encrypted with the instance's key, {@code *-echo} a handshake with the file as echostr, and the
 * {@code mp-sig-*}, {@code mp-ts-*} and {@code *-forged} variants of a signed push.
 */
class WeChatHostileInputTest {

    private static final Pattern ENCRYPT = Pattern.compile("<Encrypt><!\\[CDATA\\[(.*?)]]></Encrypt>", Pattern.DOTALL);
    private static final long NOW_SECONDS = NOW.getEpochSecond();

    static List<HostileInput> corpus() {
        return HostileCorpus.load(WeChatHostileInputTest.class, "/wechat/hostile");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileInputHasTheOutcomeAUserExpects(HostileInput input) {
        String delivery = input.delivery();
        Map<String, String> config = delivery.startsWith("wecom") ? wecomConfig()
                : delivery.startsWith("mp-aes") || delivery.equals("mp-plaintext-to-safe-mode") ? mpSafeModeConfig()
                : mpConfig();
        TestConnectorContext ctx = WeChatFixtures.context(config);
        ConnectorInstance instance = new WeChatConnector().open(ctx);
        WebhookRequest request = request(input, delivery);

        HostileChecks.expect(input, () -> Observation.ofWebhook(instance.webhook().orElseThrow(), request,
                instance.normalizer(), ctx.connectorId(), ctx.instanceId()), List.of(TOKEN, AES_KEY, SECRET), ctx::logLines);
    }

    private static WebhookRequest request(HostileInput input, String delivery) {
        byte[] body = input.bytes();
        String signature = WeChatSignature.sign(TOKEN, TIMESTAMP, NONCE);
        return switch (delivery) {
            case "mp", "mp-plaintext-to-safe-mode" -> plainPush(body, signature, TIMESTAMP);
            case "mp-unsigned" -> post(body).query("timestamp", TIMESTAMP).query("nonce", NONCE).build();
            case "mp-forged" -> plainPush(body, WeChatSignature.sign("another-token", TIMESTAMP, NONCE), TIMESTAMP);
            case "mp-sig-empty" -> plainPush(body, "", TIMESTAMP);
            case "mp-sig-upper" -> plainPush(body, signature.toUpperCase(Locale.ROOT), TIMESTAMP);
            case "mp-sig-padded" -> plainPush(body, "  " + signature + "\t", TIMESTAMP);
            case "mp-sig-short" -> plainPush(body, signature.substring(0, signature.length() - 1), TIMESTAMP);
            case "mp-sig-long" -> plainPush(body, signature + "0", TIMESTAMP);
            case "mp-sig-nonhex" -> plainPush(body, "z" + signature.substring(1), TIMESTAMP);
            case "mp-sig-non-ascii" -> plainPush(body, "\u00e9" + signature.substring(1), TIMESTAMP);
            case "mp-ts-old" -> signedAt(body, Long.toString(NOW_SECONDS - 3600));
            case "mp-ts-future" -> signedAt(body, Long.toString(NOW_SECONDS + 3600));
            // 2^63 seconds before now: the distance to now does not fit a long.
            case "mp-ts-overflow" -> signedAt(body, Long.toString(NOW_SECONDS + Long.MIN_VALUE));
            case "mp-ts-not-number" -> signedAt(body, TIMESTAMP + "abc");
            case "mp-ts-huge" -> signedAt(body, "99999999999999999999");
            case "mp-no-nonce" -> post(body).query("signature", WeChatSignature.sign(TOKEN, TIMESTAMP, ""))
                    .query("timestamp", TIMESTAMP).build();
            case "mp-method-put" -> new WebhookRequest("PUT", plainPush(body, signature, TIMESTAMP).query(), Map.of(), body, NOW);
            case "mp-aes" -> encryptedPush(encrypt(layout(body, APP_ID)), TOKEN, true, TIMESTAMP);
            case "mp-aes-forged" -> encryptedPush(encrypt(layout(body, APP_ID)), "another-token", true, TIMESTAMP);
            case "mp-aes-raw" -> rawEncryptedPush(body, true);
            case "wecom" -> encryptedPush(encrypt(layout(body, CORP_ID)), TOKEN, false, TIMESTAMP);
            case "wecom-forged" -> encryptedPush(encrypt(layout(body, CORP_ID)), "another-token", false, TIMESTAMP);
            case "wecom-ts-old" -> encryptedPush(encrypt(layout(body, CORP_ID)), TOKEN, false, Long.toString(NOW_SECONDS - 3600));
            case "wecom-raw" -> rawEncryptedPush(body, false);
            case "wecom-layout" -> encryptedPush(encrypt(body), TOKEN, false, TIMESTAMP);
            case "mp-echo" -> WebhookRequests.get().query("signature", signature).query("timestamp", TIMESTAMP)
                    .query("nonce", NONCE).query("echostr", input.text()).receivedAt(NOW).build();
            case "wecom-echo", "wecom-echo-unsigned" -> WebhookRequests.get()
                    .query("msg_signature", WeChatSignature.sign(delivery.endsWith("unsigned") ? "another-token" : TOKEN,
                            TIMESTAMP, NONCE, input.text()))
                    .query("timestamp", TIMESTAMP).query("nonce", NONCE).query("echostr", input.text())
                    .receivedAt(NOW).build();
            default -> throw new IllegalArgumentException(input + ": unknown delivery '" + delivery + "'");
        };
    }

    private static WebhookRequests.Builder post(byte[] body) {
        return WebhookRequests.post(body).header("Content-Type", "text/xml").receivedAt(NOW);
    }

    private static WebhookRequest plainPush(byte[] body, String signature, String timestamp) {
        return post(body).query("signature", signature).query("timestamp", timestamp).query("nonce", NONCE).build();
    }

    private static WebhookRequest signedAt(byte[] body, String timestamp) {
        return plainPush(body, WeChatSignature.sign(TOKEN, timestamp, NONCE), timestamp);
    }

    /** A safe-mode push of {@code encrypt}, its msg_signature made with {@code token}. */
    private static WebhookRequest encryptedPush(String encrypt, String token, boolean officialAccount, String timestamp) {
        String body = "<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><Encrypt><![CDATA[" + encrypt
                + "]]></Encrypt></xml>";
        return envelopePush(body.getBytes(StandardCharsets.UTF_8), encrypt, token, officialAccount, timestamp);
    }

    /** The file as the body of a safe-mode push, signed over the first {@code <Encrypt>} it holds, if any. */
    private static WebhookRequest rawEncryptedPush(byte[] body, boolean officialAccount) {
        Matcher encrypt = ENCRYPT.matcher(new String(body, StandardCharsets.ISO_8859_1));
        return envelopePush(body, encrypt.find() ? encrypt.group(1) : "", TOKEN, officialAccount, TIMESTAMP);
    }

    private static WebhookRequest envelopePush(byte[] body, String encrypt, String token, boolean officialAccount,
                                               String timestamp) {
        WebhookRequests.Builder push = post(body).query("timestamp", timestamp).query("nonce", NONCE)
                .query("msg_signature", WeChatSignature.sign(token, timestamp, NONCE, encrypt));
        if (officialAccount) {
            push.query("signature", WeChatSignature.sign(TOKEN, timestamp, NONCE))
                    .query("encrypt_type", "aes").query("openid", "oia2TjuEGTNoeX76QEjQNrcURxG8");
        }
        return push.build();
    }

    /** The block WeChat encrypts: random16, uint32 length, message, receive id, PKCS#7 to 32 bytes. */
    private static byte[] layout(byte[] message, String receiveId) {
        byte[] id = receiveId.getBytes(StandardCharsets.UTF_8);
        int unpadded = 16 + 4 + message.length + id.length;
        int pad = 32 - unpadded % 32;
        ByteBuffer block = ByteBuffer.allocate(unpadded + pad)
                .put("0123456789abcdef".getBytes(StandardCharsets.US_ASCII)).putInt(message.length).put(message).put(id);
        for (int i = 0; i < pad; i++) {
            block.put((byte) pad);
        }
        return block.array();
    }

    /** AES-256-CBC without padding under the instance's key, as Base64: whatever the block holds. */
    private static String encrypt(byte[] block) {
        try {
            byte[] key = WeChatCrypto.decodeKey(AES_KEY);
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
            return Base64.getEncoder().encodeToString(cipher.doFinal(block));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
