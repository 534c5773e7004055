package io.omnihub.connectors.erp;

import io.omnihub.connector.source.RawRecord;
import io.omnihub.testkit.MutableClock;
import io.omnihub.testkit.TestConnectorContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Test data and configurations shared by the Kingdee tests. */
final class KingdeeFixtures {

    static final String ACCT_ID = "62f3a1b7c9d4e5";
    static final String USERNAME = "crm_sync";
    static final String PASSWORD = "Kd#lanhu2024!";
    /** A signed-mode app id: client id, underscore, 32 Base64 characters. */
    static final String APP_ID = "318664_X+0D6wDtTmpa4bUs1f8v6yxJSq0bxqnO";
    static final String APP_SECRET = "9c1f2e8a7b3d4c5e6f708192a3b4c5d6";
    static final String ORDER_FIELD = "F_OMNI_ChannelOrderNo";
    static final String SALE_ORG = "100";

    /** The site path the connector calls under a base URL without a path. */
    static final String SITE = "/k3cloud";
    static final String VALIDATE_USER = SITE + "/Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc";
    static final String LOGIN_BY_APP_SECRET = SITE + "/Kingdee.BOS.WebApi.ServicesStub.AuthService.LoginByAppSecret.common.kdsvc";
    static final String EXECUTE_BILL_QUERY = SITE + "/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc";
    static final String SAVE = SITE + "/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc";

    /** The session the login fixtures hand out. */
    static final String SESSION_ID = "4f1c7a9e-2b3d-4e5f-8a6b-0c1d2e3f4a5b";
    static final String ASPNET_SESSION = "qxlw5a2kcbvpc4mfpbwbz4nz";

    /** The hub clock in tests: 2024-05-20 18:00 in Shanghai. */
    static final Instant NOW = Instant.parse("2024-05-20T10:00:00Z");
    static final Set<String> SECRET_KEYS = Set.of("password", "app-secret");

    private KingdeeFixtures() {
    }

    static byte[] resource(String path) {
        try (InputStream in = KingdeeFixtures.class.getResourceAsStream("/kingdee/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /kingdee/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String path) {
        return new String(resource(path), StandardCharsets.UTF_8);
    }

    static Map<String, String> passwordConfig(String baseUrl) {
        Map<String, String> config = new HashMap<>();
        config.put("base-url", baseUrl);
        config.put("acct-id", ACCT_ID);
        config.put("username", USERNAME);
        config.put("password", PASSWORD);
        config.put("sale-org", SALE_ORG);
        config.put("order-number-field", ORDER_FIELD);
        return config;
    }

    static Map<String, String> appSecretConfig(String baseUrl) {
        Map<String, String> config = passwordConfig(baseUrl);
        config.remove("password");
        config.put("auth-mode", "app-secret");
        config.put("app-id", APP_ID);
        config.put("app-secret", APP_SECRET);
        return config;
    }

    static Map<String, String> signedConfig(String baseUrl) {
        Map<String, String> config = appSecretConfig(baseUrl);
        config.put("auth-mode", "signed");
        return config;
    }

    static TestConnectorContext context(Map<String, String> config) {
        return new TestConnectorContext("erp", "kingdee-main", config, SECRET_KEYS, new MutableClock(NOW));
    }

    static KingdeeConfig config(Map<String, String> config) {
        return KingdeeConfig.from(context(config).config());
    }

    /** A polled record as {@link KingdeePoller} writes it, from a row file under {@code records/}. */
    static RawRecord record(String form, String file, Instant receivedAt) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(KingdeePoller.FORM, form);
        attributes.put(KingdeePoller.ACCT_ID, ACCT_ID);
        if (KingdeeForm.SALES_ORDER.formId().equals(form)) {
            attributes.put(KingdeePoller.ORDER_NUMBER_FIELD, ORDER_FIELD);
        }
        return new RawRecord(form + ":" + file, KingdeePoller.CONTENT_TYPE, resource("records/" + file), attributes, receivedAt);
    }
}
