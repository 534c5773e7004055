package io.omnihub.connectors.wechat;

import static io.omnihub.connectors.wechat.WeChatFixtures.NONCE;
import static io.omnihub.connectors.wechat.WeChatFixtures.TIMESTAMP;
import static io.omnihub.connectors.wechat.WeChatFixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeChatSignatureTest {

    static final String AFTER_AES_ENCRYPT = WeChatCryptoTest.AFTER_AES_ENCRYPT;
    static final String AFTER_AES_ENCRYPT_2 = WeChatCryptoTest.AFTER_AES_ENCRYPT_2;

    @Test
    void sortsItsInputsBeforeHashingLikeWxJavaSha1() {
        // WxJava SHA1Test: SHA1.gen("123", "345")
        assertThat(WeChatSignature.sign("123", "345")).isEqualTo("9f537aeb751ec72605f57f94a2f6dc3e3958e1dd");
        assertThat(WeChatSignature.sign("345", "123")).isEqualTo("9f537aeb751ec72605f57f94a2f6dc3e3958e1dd");
    }

    @Test
    void handshakeSignatureMatchesTheComputedVector() {
        assertThat(WeChatSignature.sign(TOKEN, TIMESTAMP, NONCE)).isEqualTo("76480565cbe296026c53aaacd1ad523a1ddba24f");
    }

    @Test
    void msgSignatureCoversTheCiphertext() {
        assertThat(WeChatSignature.sign(TOKEN, TIMESTAMP, NONCE, AFTER_AES_ENCRYPT))
                .isEqualTo("82c962d39941aa48552f90ef55aa323dc620cc10");
        assertThat(WeChatSignature.sign(TOKEN, TIMESTAMP, NONCE, AFTER_AES_ENCRYPT_2))
                .isEqualTo("ea88b765074e41eb8c7a75b449db34fa2fd560d5");
    }

    @Test
    void matchingAcceptsTheRightSignatureInEitherCase() {
        assertThat(WeChatSignature.matches("76480565cbe296026c53aaacd1ad523a1ddba24f", TOKEN, TIMESTAMP, NONCE)).isTrue();
        assertThat(WeChatSignature.matches("76480565CBE296026C53AAACD1AD523A1DDBA24F", TOKEN, TIMESTAMP, NONCE)).isTrue();
    }

    @Test
    void forgedSignatureIsRefused() {
        assertThat(WeChatSignature.matches("76480565cbe296026c53aaacd1ad523a1ddba24e", TOKEN, TIMESTAMP, NONCE)).isFalse();
        assertThat(WeChatSignature.matches("76480565cbe296026c53aaacd1ad523a1ddba24f", "other-token", TIMESTAMP, NONCE)).isFalse();
        assertThat(WeChatSignature.matches("", TOKEN, TIMESTAMP, NONCE)).isFalse();
        assertThat(WeChatSignature.matches(null, TOKEN, TIMESTAMP, NONCE)).isFalse();
    }
}
