package io.omnihub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Phone numbers read and classified with libphonenumber; which kinds link people. */
class PhoneRulesTest {

    @Test
    void byDefaultMobilesLinkAndAStoresLandlineOrAServiceNumberDoesNot() {
        PhoneRules rules = PhoneRules.DEFAULTS;

        assertThat(rules.kind("+8613912345678")).isEqualTo("mobile");
        assertThat(rules.linkable("+8613912345678")).isTrue();
        assertThat(rules.kind("+861065529988")).isEqualTo("fixed_line");
        assertThat(rules.linkable("+861065529988")).isFalse();
        assertThat(rules.kind("+868008101234")).isEqualTo("toll_free");
        assertThat(rules.linkable("+868008101234")).isFalse();
        assertThat(rules.kind("+864008123123")).isEqualTo("shared_cost");
        assertThat(rules.linkable("+864008123123")).isFalse();
        // a number that may be either, as in the US, links
        assertThat(rules.linkable("+12015550123")).isTrue();
    }

    @Test
    void nationalNumbersAreReadInTheRegionAndWrittenInE164() {
        assertThat(PhoneRules.DEFAULTS.e164("139 1234 5678")).contains("+8613912345678");
        assertThat(PhoneRules.DEFAULTS.e164("010-65529988")).contains("+861065529988");
        assertThat(new PhoneRules("GB", Set.of("mobile")).e164("020 7946 0000")).contains("+442079460000");
    }

    @Test
    void aNumberThatIsNoPhoneNumberIsNeitherWrittenNorLinkable() {
        assertThat(PhoneRules.DEFAULTS.e164("95588")).isEmpty();
        assertThat(PhoneRules.DEFAULTS.e164("not a number")).isEmpty();
        assertThat(PhoneRules.DEFAULTS.kind("+8695588")).isEqualTo("unknown");
        assertThat(PhoneRules.DEFAULTS.linkable("+8695588")).isFalse();
    }

    @Test
    void aBrandWhoseCustomersCallFromLandlinesCanLetFixedLinesLink() {
        PhoneRules rules = new PhoneRules("cn", Set.of("mobile", "Fixed_Line"));

        assertThat(rules.linkable("+861065529988")).isTrue();
        assertThat(rules.linkable("+868008101234")).isFalse();
        assertThat(rules.region()).isEqualTo("CN");
    }

    @Test
    void anUnknownRegionOrKindIsRefusedWithTheValueNamed() {
        assertThatThrownBy(() -> new PhoneRules("XX", Set.of("mobile"))).hasMessageContaining("XX");
        assertThatThrownBy(() -> new PhoneRules("CN", Set.of("mobil"))).hasMessageContaining("mobil");
    }
}
