package io.omnihub.connectors.wechat;

import static io.omnihub.connectors.wechat.WeChatFixtures.AES_KEY;
import static io.omnihub.connectors.wechat.WeChatFixtures.APP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.errors.BadInputException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WeChatCryptoTest {

    /** WxJava WxCryptUtilTest (Tencent's sample): the vector of PROTOCOLS §1.3. */
    static final String RANDOM_STR = "aaaabbbbccccdddd";
    static final String REPLY_MSG = "我是中文abcd123";
    static final String AFTER_AES_ENCRYPT =
            "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";
    static final String REPLY_MSG_2 = "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName>"
            + "<FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime>"
            + "<MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId>"
            + "<Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>";
    static final String AFTER_AES_ENCRYPT_2 = "jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb";

    private final WeChatCrypto crypto = new WeChatCrypto(AES_KEY, APP_ID);

    @Test
    void encryptingWithTheSampleRandomReproducesTheWxJavaVector() {
        assertThat(crypto.encrypt(RANDOM_STR, REPLY_MSG)).isEqualTo(AFTER_AES_ENCRYPT);
        assertThat(crypto.encrypt(RANDOM_STR, REPLY_MSG_2)).isEqualTo(AFTER_AES_ENCRYPT_2);
    }

    @Test
    void decryptingTheWxJavaVectorGivesTheOriginal() {
        assertThat(crypto.decryptToString(AFTER_AES_ENCRYPT)).isEqualTo(REPLY_MSG);
        assertThat(crypto.decryptToString(AFTER_AES_ENCRYPT_2)).isEqualTo(REPLY_MSG_2);
    }

    @Test
    void randomEncryptionRoundTripsAndDiffersEachTime() {
        String message = "<xml><Content><![CDATA[会员积分 🎉]]></Content></xml>";
        String first = crypto.encrypt(message);
        String second = crypto.encrypt(message);
        assertThat(first).isNotEqualTo(second);
        assertThat(crypto.decryptToString(first)).isEqualTo(message);
        assertThat(crypto.decryptToString(second)).isEqualTo(message);
    }

    @Test
    void plaintextIsPaddedToThirtyTwoByteBlocks() {
        // 16 + 4 + 19 (UTF-8 of the message) + 18 (appid) = 57 bytes, padded to 64.
        assertThat(Base64.getDecoder().decode(AFTER_AES_ENCRYPT)).hasSize(64);
        // Exactly a multiple of 32 still gets a whole block of padding, as PKCS#7 requires.
        String twelve = "abcdefghijkl"; // 16 + 4 + 12 + 0 = 32 with an empty receive id
        WeChatCrypto noId = new WeChatCrypto(AES_KEY, "");
        assertThat(Base64.getDecoder().decode(noId.encrypt(RANDOM_STR, twelve))).hasSize(64);
        assertThat(noId.decryptToString(noId.encrypt(RANDOM_STR, twelve))).isEqualTo(twelve);
    }

    @Test
    void messageForAnotherAppIsRefused() {
        String forOtherApp = new WeChatCrypto(AES_KEY, "wx0000000000000000").encrypt("<xml/>");
        assertThatThrownBy(() -> crypto.decrypt(forOtherApp))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("addressed to another app id");
    }

    @Test
    void appIdThatIsOnlyAPrefixIsRefused() {
        String forLongerId = new WeChatCrypto(AES_KEY, APP_ID + "x").encrypt("<xml/>");
        assertThatThrownBy(() -> crypto.decrypt(forLongerId)).isInstanceOf(BadInputException.class);
    }

    @Test
    void badPaddingIsRefused() {
        byte[] plain = layout("<xml/>", APP_ID);
        byte[] zeroPad = Arrays.copyOf(plain, 64); // last byte 0: no valid pad value
        assertThatThrownBy(() -> crypto.decrypt(rawEncrypt(zeroPad)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("padding");

        byte[] inconsistent = Arrays.copyOf(plain, 64);
        Arrays.fill(inconsistent, plain.length, 64, (byte) (64 - plain.length));
        inconsistent[62] = 1; // one pad byte disagrees with the others
        assertThatThrownBy(() -> crypto.decrypt(rawEncrypt(inconsistent)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("padding");

        byte[] tooLarge = Arrays.copyOf(plain, 64);
        Arrays.fill(tooLarge, plain.length, 64, (byte) 33); // larger than WeChat's 32-byte block
        assertThatThrownBy(() -> crypto.decrypt(rawEncrypt(tooLarge)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("padding");
    }

    @Test
    void lengthFieldBeyondTheDataIsRefused() {
        byte[] plain = Arrays.copyOf(layout("<xml/>", APP_ID), 64);
        ByteBuffer.wrap(plain).putInt(16, Integer.MAX_VALUE);
        Arrays.fill(plain, 16 + 4 + 6 + APP_ID.length(), 64, (byte) (64 - (16 + 4 + 6 + APP_ID.length())));
        assertThatThrownBy(() -> crypto.decrypt(rawEncrypt(plain)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("length");
    }

    @Test
    void malformedCiphertextIsRefused() {
        assertThatThrownBy(() -> crypto.decrypt("not base64 at all!")).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> crypto.decrypt(AFTER_AES_ENCRYPT.substring(0, 20))).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> crypto.decrypt("")).isInstanceOf(BadInputException.class);
    }

    @Test
    void wrongKeyIsRefusedNotMisread() {
        WeChatCrypto otherKey = new WeChatCrypto("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq", APP_ID);
        assertThatThrownBy(() -> otherKey.decrypt(AFTER_AES_ENCRYPT)).isInstanceOf(BadInputException.class);
    }

    @Test
    void keyMustBeFortyThreeBase64Characters() {
        assertThatThrownBy(() -> new WeChatCrypto(AES_KEY.substring(1), APP_ID)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WeChatCrypto(AES_KEY.substring(1) + "!", APP_ID)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WeChatCrypto(AES_KEY.substring(1) + "!", APP_ID))
                .message().doesNotContain(AES_KEY.substring(1));
    }

    @Test
    void encryptedReplyIsSignedAndDecryptable() {
        String reply = "<xml><ToUserName><![CDATA[oia2TjuEGTNoeX76QEjQNrcURxG8]]></ToUserName><Content><![CDATA[您好]]></Content></xml>";
        String xml = crypto.encryptedReply(reply, TOKEN, "1409304400", "abc123");

        WeChatXml parsed = SafeXml.parse(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.fields()).containsOnlyKeys("Encrypt", "MsgSignature", "TimeStamp", "Nonce");
        assertThat(parsed.require("TimeStamp")).isEqualTo("1409304400");
        assertThat(parsed.require("Nonce")).isEqualTo("abc123");
        assertThat(parsed.require("MsgSignature"))
                .isEqualTo(WeChatSignature.sign(TOKEN, "1409304400", "abc123", parsed.require("Encrypt")));
        assertThat(crypto.decryptToString(parsed.require("Encrypt"))).isEqualTo(reply);
    }

    @Test
    void encryptedReplyRefusesANonceThatCouldBreakTheXml() {
        assertThatThrownBy(() -> crypto.encryptedReply("<xml/>", TOKEN, "1409304400", "]]><evil/>"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** random16 | len | message | receiveId, unpadded: tests pad it as they need. */
    private static byte[] layout(String message, String receiveId) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        byte[] id = receiveId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(16 + 4 + text.length + id.length)
                .put(RANDOM_STR.getBytes(StandardCharsets.US_ASCII)).putInt(text.length).put(text).put(id).array();
    }

    /** Encrypts exactly {@code plain} (a multiple of 16 bytes) with the sample key, no padding added. */
    private static String rawEncrypt(byte[] plain) {
        try {
            byte[] key = Base64.getDecoder().decode(AES_KEY + "=");
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
            return Base64.getEncoder().encodeToString(cipher.doFinal(plain));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
