package io.omnihub.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The default forgery must change the digest itself, not a prefix a lenient parser might skip. */
class DefaultForgeryTest {

    @Test
    void corruptsTheDigestAndKeepsHexHex() {
        String digest = "ab12f0e1d2c3b4a596870f1e2d3c4b5a";
        assertThat(ConnectorAcceptanceTest.corrupt("sha256=" + digest)).isEqualTo("sha256=bb12f0e1d2c3b4a596870f1e2d3c4b5a");
        assertThat(ConnectorAcceptanceTest.corrupt("t=1716200000,v1=f0e1d2c3b4a59687")).isEqualTo("t=1716200000,v1=00e1d2c3b4a59687");
        assertThat(ConnectorAcceptanceTest.corrupt("9F86D081884C7D65")).isEqualTo("AF86D081884C7D65");
    }

    @Test
    void corruptsTheFirstCharacterOfBase64SoPaddingBitsDoNotHideIt() {
        assertThat(ConnectorAcceptanceTest.corrupt("uYkGxQ==")).isEqualTo("vYkGxQ==");
    }
}
