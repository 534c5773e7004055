package io.omnihub.connectors.douyin;

import static io.omnihub.connectors.douyin.DouyinFixtures.CLIENT_SECRET;
import static io.omnihub.connectors.douyin.DouyinFixtures.NOW;
import static io.omnihub.connectors.douyin.DouyinFixtures.openConfig;
import static io.omnihub.connectors.douyin.DouyinFixtures.sha1Hex;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testkit.WebhookRequests;
import io.omnihub.testkit.hostile.HostileChecks;
import io.omnihub.testkit.hostile.HostileCorpus;
import io.omnihub.testkit.hostile.HostileInput;
import io.omnihub.testkit.hostile.Observation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus of {@code douyin/hostile/open/}: broken, foreign, deep and duplicated JSON,
 * invalid encodings, fields of the wrong kind and size, and signature edge cases, each pushed through
 * the real Douyin Open Platform connector (webhook handler, then normalizer) with the outcome its
 * {@code outcomes.tsv} states.
 *
 * <p>Deliveries: {@code signed} with {@code X-Douyin-Signature} and a {@code Msg-Id},
 * {@code signed-no-msg-id}, and variants of the signature ({@code unsigned}, {@code forged} with
 * another secret, {@code sig-*}) and of the method ({@code get}, {@code put}).
 */
class DouyinHostileInputTest {

    static List<HostileInput> corpus() {
        return HostileCorpus.load(DouyinHostileInputTest.class, "/douyin/hostile/open");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileInputHasTheOutcomeAUserExpects(HostileInput input) {
        TestConnectorContext ctx = DouyinFixtures.context(openConfig());
        ConnectorInstance instance = new DouyinConnector().open(ctx);
        WebhookRequest request = request(input);

        HostileChecks.expect(input, () -> Observation.ofWebhook(instance.webhook().orElseThrow(), request,
                instance.normalizer(), ctx.connectorId(), ctx.instanceId()), List.of(CLIENT_SECRET), ctx::logLines);
    }

    private static WebhookRequest request(HostileInput input) {
        byte[] body = input.bytes();
        String signature = sha1Hex(CLIENT_SECRET, body);
        return switch (input.delivery()) {
            case "signed" -> push(body, signature).header("Msg-Id", "a1b2c3d4-0001").build();
            case "signed-no-msg-id" -> push(body, signature).build();
            case "unsigned" -> WebhookRequests.post(body).header("Content-Type", "application/json").receivedAt(NOW).build();
            case "forged" -> push(body, sha1Hex("another-client-secret", body)).build();
            case "sig-empty" -> push(body, "").build();
            case "sig-upper" -> push(body, signature.toUpperCase(Locale.ROOT)).build();
            case "sig-padded" -> push(body, " " + signature + " ").build();
            case "sig-short" -> push(body, signature.substring(1)).build();
            case "sig-long" -> push(body, signature + "a").build();
            case "sig-nonhex" -> push(body, "x" + signature.substring(1)).build();
            case "sig-non-ascii" -> push(body, "\u00fc" + signature.substring(1)).build();
            case "sig-of-other-body" -> push(body, sha1Hex(CLIENT_SECRET, "{}".getBytes(StandardCharsets.UTF_8))).build();
            case "sig-sha256" -> push(body, sha256Hex(CLIENT_SECRET, body)).build();
            case "get" -> new WebhookRequest("GET", java.util.Map.of(), push(body, signature).build().headers(), body, NOW);
            case "put" -> new WebhookRequest("PUT", java.util.Map.of(), push(body, signature).build().headers(), body, NOW);
            default -> throw new IllegalArgumentException(input + ": unknown delivery");
        };
    }

    private static WebhookRequests.Builder push(byte[] body, String signature) {
        return WebhookRequests.post(body).header("Content-Type", "application/json")
                .header(DouyinSignature.HEADER, signature).receivedAt(NOW);
    }

    private static String sha256Hex(String secret, byte[] body) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
