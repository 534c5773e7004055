package io.omnihub.connectors.erp;

import static io.omnihub.connectors.erp.KingdeeFixtures.APP_SECRET;
import static io.omnihub.connectors.erp.KingdeeFixtures.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.http.HttpResponse;
import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testkit.hostile.HostileChecks;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzz tests of the Kingdee connector: the login-free signer, the poller and normalizer taking any
 * ExecuteBillQuery answer, the action sender taking any Save answer, and Kingdee's date-times. Each
 * refuses what it cannot take with the SDK's typed errors only, with a short message holding no
 * secret; anything else is a finding. See docs/fuzzing.md for running them longer.
 */
class KingdeeFuzzTest {

    private static final List<String> SECRETS = List.of(PASSWORD, APP_SECRET);
    private static final byte[] LOGIN = KingdeeFixtures.resource("api/login-ok.json");
    private static final byte[] NO_ROWS = "[]".getBytes(StandardCharsets.UTF_8);

    /**
     * Any app id, secret and path: the signer refuses a malformed app id as a configuration error,
     * else signs deterministically with Base64 of lower-case hex, and percent-encodes the path.
     */
    @FuzzTest
    void signerSignsOrRefusesTheAppId(FuzzedDataProvider data) {
        String appId = data.consumeString(80);
        // The config schema requires a secret of at least one character.
        String secret = "s" + data.consumeString(64);
        String user = data.consumeString(40);
        String path = data.consumeRemainingAsString();
        KingdeeSigner signer;
        try {
            signer = new KingdeeSigner(appId, secret, "62f3a1b7c9d4e5", user, 2052, "0");
        } catch (ConfigException refused) {
            assertThat(refused.getMessage()).doesNotContain(secret.length() >= 6 ? secret : "\u0000");
            return;
        }
        Map<String, List<String>> headers = signer.headers(path, 1_700_000_000L);
        assertThat(signer.headers(path, 1_700_000_000L)).isEqualTo(headers);
        for (String name : List.of("X-Api-Signature", "X-Kd-Signature")) {
            String hex = new String(Base64.getDecoder().decode(headers.get(name).get(0)), StandardCharsets.US_ASCII);
            assertThat(hex).matches("[0-9a-f]{64}");
        }
        assertThat(KingdeeSigner.encodePath(path)).matches("[A-Za-z0-9_.~%-]*");
    }

    /** Any answer to the customer query: events, or a typed error. */
    @FuzzTest
    void pollerTakesAnyCustomerAnswer(byte[] answer) {
        poll(answer, "BD_Customer");
    }

    /** Any answer to the sales-order query: events, or a typed error. */
    @FuzzTest
    void pollerTakesAnySalesOrderAnswer(byte[] answer) {
        poll(answer, "SAL_SaleOrder");
    }

    /** Any answer to a customer Save: a result, or a typed error. */
    @FuzzTest
    void actionSenderTakesAnySaveAnswer(byte[] answer) {
        ConnectorInstance instance = instance(answer, "BD_Customer");
        OutboundAction action = new OutboundAction("journey-7:step-2:cust-42", KingdeeActionSender.CUSTOMER_SAVE, null,
                Map.of("name", "王小明", "phone", "+8613912345678"));
        HostileChecks.contained(() -> instance.actions().orElseThrow().send(action), SECRETS, answer);
    }

    /** Any text as a Kingdee date-time: a time within years 1 to 9999, or refused. */
    @FuzzTest
    void datesParseWithinFourDigitYearsOrAreRefused(byte[] text) {
        try {
            LocalDateTime time = KingdeeDates.parse(new String(text, StandardCharsets.UTF_8));
            assertThat(time.getYear()).isBetween(1, 9999);
            assertThat(KingdeeDates.parse(KingdeeDates.canonical(time))).isEqualTo(time);
        } catch (IllegalArgumentException refused) {
            // bad input for the normalizer
        }
    }

    private static void poll(byte[] answer, String form) {
        ConnectorInstance instance = instance(answer, form);
        HostileChecks.contained(() -> {
            for (RawRecord record : instance.poller().orElseThrow().poll(Optional.empty()).records()) {
                HostileChecks.contained(() -> instance.normalizer().normalize(record), SECRETS, answer);
            }
        }, SECRETS, answer);
    }

    /** An instance whose Kingdee logs in, answers queries on {@code form} and Saves with {@code answer}. */
    private static ConnectorInstance instance(byte[] answer, String form) {
        Map<String, String> config = KingdeeFixtures.passwordConfig("http://erp.invalid");
        config.put(KingdeeConfig.POLL_FORMS, form);
        TestConnectorContext ctx = KingdeeFixtures.context(config).withHttp(request -> {
            String path = request.uri().getPath();
            if (path.endsWith("ValidateUser.common.kdsvc")) {
                return new HttpResponse(200, Map.of("Set-Cookie", List.of("kdservice-sessionid=s1; path=/")), LOGIN);
            }
            boolean save = path.endsWith("Save.common.kdsvc");
            boolean saveLookup = !save && new String(request.body(), StandardCharsets.UTF_8).contains("FNumber='OMNI-");
            return new HttpResponse(200, Map.of("Content-Type", List.of("application/json")), saveLookup ? NO_ROWS : answer);
        });
        return new ErpConnector().open(ctx);
    }
}
