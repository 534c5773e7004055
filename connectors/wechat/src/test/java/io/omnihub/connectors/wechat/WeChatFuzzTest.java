package io.omnihub.connectors.wechat;

import static io.omnihub.connectors.wechat.WeChatFixtures.AES_KEY;
import static io.omnihub.connectors.wechat.WeChatFixtures.APP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.CORP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.NONCE;
import static io.omnihub.connectors.wechat.WeChatFixtures.NOW;
import static io.omnihub.connectors.wechat.WeChatFixtures.SECRET;
import static io.omnihub.connectors.wechat.WeChatFixtures.TIMESTAMP;
import static io.omnihub.connectors.wechat.WeChatFixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testkit.WebhookRequests;
import io.omnihub.testkit.hostile.HostileChecks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fuzz tests of the WeChat connector's parser, crypto and signature, and of its webhook handler and
 * normalizer end to end. Each refuses what it cannot take with the SDK's typed errors only, with a
 * short message holding no secret; anything else is a finding.
 *
 * <p>In the ordinary test run these replay the inputs under {@code WeChatFuzzTestInputs/} (the
 * regression mode); {@code JAZZER_FUZZ=1} fuzzes one of them for as long as asked (docs/fuzzing.md).
 */
class WeChatFuzzTest {

    private static final List<String> SECRETS = List.of(TOKEN, AES_KEY, SECRET);
    private static final WeChatCrypto CRYPTO = new WeChatCrypto(AES_KEY, CORP_ID);

    /** Any bytes as a WeChat XML body: parsed, or refused as bad input. */
    @FuzzTest
    void xmlParserRefusesWhatItCannotRead(byte[] body) {
        HostileChecks.contained(() -> {
            WeChatXml xml = SafeXml.parse(body);
            assertThat(xml.fields()).doesNotContainValue(null);
        }, SECRETS, body);
    }

    /** Any text as ciphertext: decrypted, or refused as bad input; what was encrypted decrypts back. */
    @FuzzTest
    void cryptoDecryptsOnlyWhatWasEncryptedForThisAccount(FuzzedDataProvider data) {
        String message = data.consumeString(2000);
        String encrypted = CRYPTO.encrypt(message);
        assertThat(CRYPTO.decryptToString(encrypted)).isEqualTo(message);
        String cipherText = data.consumeRemainingAsString();
        HostileChecks.contained(() -> CRYPTO.decrypt(cipherText), SECRETS, cipherText.getBytes(StandardCharsets.UTF_8));
    }

    /** The signature is 40 lower-case hex digits, and only it (in any case, padded or not) matches. */
    @FuzzTest
    void signatureMatchesOnlyItself(FuzzedDataProvider data) {
        String timestamp = data.consumeString(20);
        String nonce = data.consumeString(40);
        String presented = data.consumeRemainingAsString();
        String signature = WeChatSignature.sign(TOKEN, timestamp, nonce);
        assertThat(signature).matches("[0-9a-f]{40}");
        assertThat(WeChatSignature.sign(nonce, TOKEN, timestamp)).isEqualTo(signature);
        assertThat(WeChatSignature.matches(signature.toUpperCase(Locale.ROOT), TOKEN, timestamp, nonce)).isTrue();
        assertThat(WeChatSignature.matches(presented, TOKEN, timestamp, nonce))
                .isEqualTo(presented.trim().toLowerCase(Locale.ROOT).equals(signature));
    }

    /** Any body, correctly signed, pushed to an Official Account: accepted and normalized, or refused. */
    @FuzzTest
    void officialAccountPushIsHandledOrRefused(byte[] body) {
        ConnectorInstance instance = open(WeChatFixtures.mpConfig());
        WebhookRequest request = WebhookRequests.post(body).query("signature", WeChatSignature.sign(TOKEN, TIMESTAMP, NONCE))
                .query("timestamp", TIMESTAMP).query("nonce", NONCE).receivedAt(NOW).build();
        HostileChecks.containedWebhook(instance, request, SECRETS);
    }

    /** Any message, encrypted and signed for WeCom: accepted and normalized, or refused. */
    @FuzzTest
    void wecomPushIsHandledOrRefused(byte[] message) {
        ConnectorInstance instance = open(WeChatFixtures.wecomConfig());
        String encrypt = CRYPTO.encrypt(new String(message, StandardCharsets.UTF_8));
        String body = "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><Encrypt><![CDATA[" + encrypt
                + "]]></Encrypt></xml>";
        WebhookRequest request = WebhookRequests.post(body)
                .query("msg_signature", WeChatSignature.sign(TOKEN, TIMESTAMP, NONCE, encrypt))
                .query("timestamp", TIMESTAMP).query("nonce", NONCE).receivedAt(NOW).build();
        HostileChecks.containedWebhook(instance, request, SECRETS, message);
    }

    /** Any record payload, as if a push had been kept: normalized, or refused as bad input. */
    @FuzzTest
    void normalizerTakesAnyRecord(byte[] payload) {
        ConnectorInstance instance = open(WeChatFixtures.mpConfig());
        RawRecord record = new RawRecord("", "application/xml", payload, Map.of("kind", "mp", "appId", APP_ID), NOW);
        HostileChecks.contained(() -> instance.normalizer().normalize(record), SECRETS, payload);
    }

    private static ConnectorInstance open(Map<String, String> config) {
        TestConnectorContext ctx = WeChatFixtures.context(config);
        return new WeChatConnector().open(ctx);
    }
}
