package io.omnihub.connectors.tmall;

import static io.omnihub.connectors.tmall.TmallFixtures.APP_SECRET;
import static io.omnihub.connectors.tmall.TmallFixtures.NOW;
import static io.omnihub.connectors.tmall.TmallFixtures.SESSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.http.HttpResponse;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testkit.hostile.HostileChecks;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Fuzz tests of the Tmall connector: the TOP signer, the reading of TOP answers by the poller, TMC
 * messages and synced trades through the normalizer, and yuan amounts. Each refuses what it cannot
 * take with the SDK's typed errors only, with a short message holding no secret; anything else is
 * a finding. See docs/fuzzing.md for running them longer.
 */
class TmallFuzzTest {

    private static final List<String> SECRETS = List.of(APP_SECRET, SESSION);
    private static final byte[] FULLINFO = TmallFixtures.resource("api/trade-fullinfo-3712345678901234601.json");

    /** The sign of any parameters: upper-case hex of the method's length, whatever order they come in. */
    @FuzzTest
    void signIsUpperHexAndIndependentOfParameterOrder(FuzzedDataProvider data) {
        Map<String, String> params = new LinkedHashMap<>();
        int count = data.consumeInt(0, 12);
        for (int i = 0; i < count; i++) {
            params.put(data.consumeString(20), data.consumeString(200));
        }
        String body = data.consumeBoolean() ? data.consumeString(500) : null;
        TopSigner.Method method = data.pickValue(TopSigner.Method.values());
        // The config schema requires a secret of at least one character.
        String secret = "s" + data.consumeRemainingAsString();
        String sign = TopSigner.sign(params, body, secret, method);
        assertThat(sign).matches(method == TopSigner.Method.HMAC_SHA256 ? "[0-9A-F]{64}" : "[0-9A-F]{32}");
        assertThat(TopSigner.sign(new TreeMap<>(params), body, secret, method)).isEqualTo(sign);
        Map<String, String> withSign = new LinkedHashMap<>(params);
        withSign.put("sign", sign);
        assertThat(TopSigner.sign(withSign, body, secret, method)).isEqualTo(sign);
    }

    /** Any TOP answer to the TMC consume call: records and events, or a typed error. */
    @FuzzTest
    void pollerTakesAnyTmcAnswer(byte[] answer) {
        ConnectorInstance instance = instance(answer, "true", "false");
        pollAndNormalize(instance, answer);
    }

    /** Any TOP answer to the incremental trade sync: records and events, or a typed error. */
    @FuzzTest
    void pollerTakesAnyTradeSyncAnswer(byte[] answer) {
        ConnectorInstance instance = instance(answer, "false", "true");
        pollAndNormalize(instance, answer);
    }

    /** Any record payload, as a TMC message: events, or bad input. */
    @FuzzTest
    void normalizerTakesAnyTmcMessage(byte[] payload) {
        ConnectorInstance instance = instance(FULLINFO, "true", "false");
        RawRecord record = new RawRecord("fuzz", "application/json", payload,
                Map.of(TmallRecords.KIND, TmallRecords.KIND_TMC), NOW);
        HostileChecks.contained(() -> instance.normalizer().normalize(record), SECRETS, payload);
    }

    /** Any text as yuan: fen exactly as BigDecimal says, or bad input. */
    @FuzzTest
    void yuanBecomesExactFenOrBadInput(byte[] text) {
        String yuan = new String(text, StandardCharsets.UTF_8);
        HostileChecks.contained(() -> {
            long fen = Yuan.toFen(yuan, "payment");
            assertThat(new BigDecimal(yuan.trim()).movePointRight(2)).isEqualByComparingTo(BigDecimal.valueOf(fen));
        }, SECRETS, text);
        assertThat(TopTime.parse(yuan)).isNotNull();
    }

    private static ConnectorInstance instance(byte[] answer, String tmc, String sync) {
        Map<String, String> config = TmallFixtures.config("http://top.invalid/router/rest");
        config.put(TmallConfig.TMC_ENABLED, tmc);
        config.put(TmallConfig.SYNC_ENABLED, sync);
        TestConnectorContext ctx = TmallFixtures.context(config).withHttp(request -> {
            String form = new String(request.body(), StandardCharsets.UTF_8);
            byte[] body = form.contains("method=taobao.tmc.messages.confirm")
                    ? "{\"tmc_messages_confirm_response\":{\"is_success\":true}}".getBytes(StandardCharsets.UTF_8)
                    : form.contains("method=taobao.trade.fullinfo.get") && answer != FULLINFO ? FULLINFO : answer;
            return new HttpResponse(200, Map.of("Content-Type", List.of("application/json")), body);
        });
        return new TmallConnector().open(ctx);
    }

    private static void pollAndNormalize(ConnectorInstance instance, byte[] answer) {
        HostileChecks.contained(() -> {
            for (RawRecord record : instance.poller().orElseThrow().poll(Optional.empty()).records()) {
                HostileChecks.contained(() -> instance.normalizer().normalize(record), SECRETS, answer);
            }
        }, SECRETS, answer);
    }
}
