package io.omnihub.connectors.erp;

import static io.omnihub.connectors.erp.KingdeeFixtures.APP_SECRET;
import static io.omnihub.connectors.erp.KingdeeFixtures.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connectors.erp.KingdeeConfig.AuthMode;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KingdeeConfigTest {

    private static Map<String, String> minimal() {
        return Map.of("base-url", "https://erp.example.com", "acct-id", "62f3a1b7c9d4e5", "username", "crm_sync",
                "password", PASSWORD);
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        java.util.HashMap<String, String> copy = new java.util.HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                copy.remove(pairs[i]);
            } else {
                copy.put(pairs[i], pairs[i + 1]);
            }
        }
        return copy;
    }

    @Test
    void defaultsWorkWithTheFourRequiredKeys() {
        KingdeeConfig config = KingdeeFixtures.config(minimal());

        assertThat(config.authMode()).isEqualTo(AuthMode.PASSWORD);
        assertThat(config.baseUrl()).hasToString("https://erp.example.com/k3cloud");
        assertThat(config.lcid()).isEqualTo(2052);
        assertThat(config.orgNumber()).isEqualTo("0");
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.syncStart()).isEmpty();
        assertThat(config.syncLag()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.pollForms()).containsExactly(KingdeeForm.CUSTOMER, KingdeeForm.SALES_ORDER);
        assertThat(config.pageSize()).isEqualTo(1000);
        assertThat(config.billType()).isEqualTo("XSDD01_SYS");
        assertThat(config.currency()).isEqualTo("PRE001");
        assertThat(config.saleOrg()).isEmpty();
        assertThat(config.orderNumberField()).isEmpty();
        assertThat(config.orderLines()).isTrue();
        assertThat(config.lineCategoryField()).contains("FMaterialId.FMaterialGroup.FNumber");
    }

    @Test
    void theLineCategoryIsAFieldPathOrNoneAndAnythingElseIsRefusedBeforeItReachesAQuery() {
        assertThat(KingdeeFixtures.config(with(minimal(), "order-line-category-field", "F_OMNI_Category")).lineCategoryField())
                .contains("F_OMNI_Category");
        assertThat(KingdeeFixtures.config(with(minimal(), "order-line-category-field", "none")).lineCategoryField()).isEmpty();
        assertThat(KingdeeFixtures.config(with(minimal(), "order-lines", "false")).orderLines()).isFalse();
        assertThatThrownBy(() -> KingdeeFixtures.config(with(minimal(), "order-line-category-field", "FMaterialId.FName' OR '1'='1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("order-line-category-field");
    }

    @ParameterizedTest
    @CsvSource({
            "https://erp.example.com,https://erp.example.com/k3cloud",
            "https://erp.example.com/,https://erp.example.com/k3cloud",
            "http://10.0.0.8:8080/K3Cloud/,http://10.0.0.8:8080/K3Cloud",
            "https://gw.example.com/erp/k3cloud,https://gw.example.com/erp/k3cloud"})
    void baseUrlIsTheSiteAddressWithK3cloudAddedWhenThereIsNoPath(String configured, String site) {
        assertThat(KingdeeFixtures.config(with(minimal(), "base-url", configured)).baseUrl()).hasToString(site);
    }

    @ParameterizedTest
    @ValueSource(strings = {"erp.example.com", "ftp://erp.example.com", "https://erp.example.com/k3cloud?x=1"})
    void aBaseUrlThatIsNoHttpSiteIsAConfigError(String url) {
        assertThatThrownBy(() -> KingdeeFixtures.config(with(minimal(), "base-url", url)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("base-url");
    }

    @Test
    void eachModeNeedsItsCredentials() {
        assertThatThrownBy(() -> KingdeeFixtures.config(with(minimal(), "password", null)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'password'");
        assertThatThrownBy(() -> KingdeeFixtures.config(with(minimal(), "auth-mode", "app-secret")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'app-id' and 'app-secret'");
        assertThatThrownBy(() -> KingdeeFixtures.config(with(minimal(), "auth-mode", "signed", "app-secret", APP_SECRET)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'app-id' and 'app-secret'");
        assertThatThrownBy(() -> KingdeeFixtures.config(with(minimal(), "auth-mode", "sso")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("password, app-secret or signed");
    }

    @Test
    void signedModeNeedsAnAppIdOfKingdeesShape() {
        assertThatThrownBy(() -> KingdeeFixtures.config(with(minimal(), "auth-mode", "signed", "app-id", "318664",
                "app-secret", APP_SECRET)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("<client id>_<32 characters>");
        assertThat(KingdeeFixtures.config(KingdeeFixtures.signedConfig("https://erp.example.com")).authMode()).isEqualTo(AuthMode.SIGNED);
    }

    @Test
    void syncLagTakesADurationOrZeroButNothingNegative() {
        assertThat(KingdeeFixtures.config(with(minimal(), "sync-lag", "10m")).syncLag()).isEqualTo(Duration.ofMinutes(10));
        assertThat(KingdeeFixtures.config(with(minimal(), "sync-lag", "PT90S")).syncLag()).isEqualTo(Duration.ofSeconds(90));
        assertThat(KingdeeFixtures.config(with(minimal(), "sync-lag", "0")).syncLag()).isZero();
        assertThatThrownBy(() -> KingdeeFixtures.config(with(minimal(), "sync-lag", "-PT1M")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sync-lag");
    }

    @Test
    void syncStartTakesADateOrADateAndTime() {
        assertThat(KingdeeFixtures.config(with(minimal(), "sync-start", "2024-01-01")).syncStart())
                .contains(LocalDateTime.parse("2024-01-01T00:00:00"));
        assertThat(KingdeeFixtures.config(with(minimal(), "sync-start", "2024-01-01T08:30:00")).syncStart())
                .contains(LocalDateTime.parse("2024-01-01T08:30:00"));
        assertThatThrownBy(() -> KingdeeFixtures.config(with(minimal(), "sync-start", "last year")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sync-start");
    }

    @Test
    void pollFormsCanBeChosenOrTurnedOff() {
        assertThat(KingdeeFixtures.config(with(minimal(), "poll-forms", "SAL_SaleOrder")).pollForms())
                .containsExactly(KingdeeForm.SALES_ORDER);
        assertThat(KingdeeFixtures.config(with(minimal(), "poll-forms", "none")).pollForms()).isEmpty();
        assertThatThrownBy(() -> KingdeeFixtures.config(with(minimal(), "poll-forms", "BD_Supplier")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("BD_Supplier");
    }

    @Test
    void theOrderNumberFieldMustBeAFieldKeySinceItGoesIntoQueries() {
        assertThatThrownBy(() -> KingdeeFixtures.config(with(minimal(), "order-number-field", "F_X' OR 1=1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("order-number-field");
    }

    @Test
    void numbersAreChecked() {
        assertThatThrownBy(() -> KingdeeFixtures.config(with(minimal(), "page-size", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("page-size");
        assertThatThrownBy(() -> KingdeeFixtures.config(with(minimal(), "lcid", "zh")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lcid");
    }

    @Test
    void saleOrgFallsBackToANamedOrgNumber() {
        assertThat(KingdeeFixtures.config(with(minimal(), "org-number", "101")).saleOrg()).contains("101");
        assertThat(KingdeeFixtures.config(with(minimal(), "org-number", "101", "sale-org", "100")).saleOrg()).contains("100");
    }

    @Test
    void toStringHidesTheSecrets() {
        String text = KingdeeFixtures.config(KingdeeFixtures.appSecretConfig("https://erp.example.com")).toString();
        String password = KingdeeFixtures.config(minimal()).toString();

        assertThat(text).doesNotContain(APP_SECRET).contains("appSecret=******");
        assertThat(password).doesNotContain(PASSWORD).contains("password=******");
        assertThat(List.of(text, password)).allSatisfy(t -> assertThat(t).contains("62f3a1b7c9d4e5"));
    }
}
