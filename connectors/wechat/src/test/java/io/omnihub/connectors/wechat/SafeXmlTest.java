package io.omnihub.connectors.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.errors.BadInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SafeXmlTest {

    private static WeChatXml parse(String xml) {
        return SafeXml.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String xml, String message) {
        assertThatThrownBy(() -> parse(xml)).isExactlyInstanceOf(BadInputException.class).hasMessage(message);
    }

    @Test
    void topLevelFieldsAreReadAsSentCdataAndTextAlike() {
        WeChatXml xml = parse("<xml><ToUserName><![CDATA[gh_1]]></ToUserName><CreateTime>1348831860</CreateTime>"
                + "<Content><![CDATA[  你好 <b>不是标签</b> ]]></Content></xml>");

        assertThat(xml.fields()).containsOnlyKeys("ToUserName", "CreateTime", "Content");
        assertThat(xml.fields().get("Content")).isEqualTo("  你好 <b>不是标签</b> ");
        assertThat(xml.createTime()).isEqualTo(1348831860L);
    }

    @Test
    void textSplitByEntitiesCdataAndCommentsIsJoinedWithoutTheComments() {
        WeChatXml xml = parse("<xml><Content>Tom &amp; Jerry &#x4F60;<!-- a note --><![CDATA[ <3]]><?pi x?>!</Content></xml>");

        assertThat(xml.fields().get("Content")).isEqualTo("Tom & Jerry 你 <3!");
    }

    @Test
    void nestedBlocksAreReadPastAndTheFieldsAfterThemStillCount() {
        WeChatXml xml = parse("<xml><FromUserName><![CDATA[o6_openid]]></FromUserName><Event><![CDATA[scancode_push]]></Event>"
                + "<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>"
                + "<SendLocationInfo><Location_X><![CDATA[23]]></Location_X><Poiname><![CDATA[]]></Poiname></SendLocationInfo>"
                + "<SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum><![CDATA[1b5f]]></PicMd5Sum></item></PicList></SendPicsInfo>"
                + "<EventKey><![CDATA[rselfmenu_0_1]]></EventKey></xml>");

        assertThat(xml.fields()).containsOnlyKeys("FromUserName", "Event", "EventKey");
        assertThat(xml.require("EventKey")).isEqualTo("rselfmenu_0_1");
    }

    @Test
    void aNestedElementNamedLikeAFieldNeitherCountsNorCollides() {
        WeChatXml xml = parse("<xml><FromUserName>o6_real</FromUserName>"
                + "<Info><FromUserName>o6_forged</FromUserName></Info></xml>");

        assertThat(xml.require("FromUserName")).isEqualTo("o6_real");
    }

    @Test
    void aFieldSentTwiceIsRefused() {
        assertRefused("<xml><FromUserName>a</FromUserName><FromUserName>b</FromUserName></xml>",
                "WeChat message has more than one <FromUserName>");
    }

    @Test
    void anyDoctypeIsRefusedBeforeItsEntitiesAreExpanded() {
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                + "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
                + "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>"
                + "<xml><Content>&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;</Content></xml>";
        assertRefused(laughs, "XML with a DTD is refused");

        assertRefused("<!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><xml><Content>&xxe;</Content></xml>",
                "XML with a DTD is refused");
        assertRefused("<!DOCTYPE xml SYSTEM \"http://127.0.0.1:1/evil.dtd\"><xml/>", "XML with a DTD is refused");
        assertRefused("<!DOCTYPE xml><xml><Content>hi</Content></xml>", "XML with a DTD is refused");
    }

    @Test
    void aDoctypeTypedInsideAFieldIsJustText() {
        WeChatXml xml = parse("<xml><Content><![CDATA[<!DOCTYPE html> is what I typed]]></Content></xml>");

        assertThat(xml.fields().get("Content")).isEqualTo("<!DOCTYPE html> is what I typed");
    }

    @Test
    void anUndeclaredEntityIsMalformedNotExpandedOrDropped() {
        assertThatThrownBy(() -> parse("<xml><Content>&xxe;</Content></xml>"))
                .isExactlyInstanceOf(BadInputException.class)
                .hasMessageStartingWith("malformed XML")
                .hasMessageContaining("xxe");
    }

    @Test
    void malformedXmlIsRefusedSayingWhereWhateverThePlaceOfTheFault() {
        assertThatThrownBy(() -> parse("<xml>\n<MsgType><![CDATA[text]<xml>"))
                .isExactlyInstanceOf(BadInputException.class)
                .hasMessageStartingWith("malformed XML at line 2, column ");
        for (String broken : new String[] {"<xml><A>1</B></xml>", "<xml><A>1</A>", "<xml/><xml/>", "<xml/>trailing",
            "not xml at all", "<xml><A a=1>x</A></xml>", "\u0000<xml/>"}) {
            assertThatThrownBy(() -> parse(broken)).as(broken)
                    .isExactlyInstanceOf(BadInputException.class)
                    .hasMessageStartingWith("malformed XML")
                    .message().doesNotContain("\n");
        }
    }

    @Test
    void aDocumentThatIsNotAWeChatMessageIsRefusedNamingItsRoot() {
        assertRefused("<html><body/></html>", "not a WeChat message: the root element is <html>, not <xml>");
        assertRefused("<" + "a".repeat(100) + "/>", "not a WeChat message: the root element is <" + "a".repeat(64) + "...>, not <xml>");
    }

    @Test
    void emptyAndOversizedBodiesAreRefusedUnread() {
        assertRefused("", "XML body is empty");
        assertThatThrownBy(() -> SafeXml.parse(new byte[SafeXml.MAX_BYTES + 1]))
                .isExactlyInstanceOf(BadInputException.class)
                .hasMessage("XML body larger than 1048576 bytes is refused");
    }

    @Test
    void theDeclaredEncodingIsHonoured() {
        byte[] gbk = "<?xml version=\"1.0\" encoding=\"GBK\"?><xml><Content>会员卡</Content></xml>".getBytes(java.nio.charset.Charset.forName("GBK"));

        assertThat(SafeXml.parse(gbk).fields().get("Content")).isEqualTo("会员卡");
    }

    @Test
    void bytesThatAreNotStrictlyUtf8AreRefusedEvenWhereALenientDecoderWouldGuess() {
        byte[] overlongSlash = {'<', 'x', 'm', 'l', '>', '<', 'A', '>', 'a', (byte) 0xC0, (byte) 0xAF, 'b', '<', '/', 'A', '>', '<', '/', 'x', 'm', 'l', '>'};

        assertThatThrownBy(() -> SafeXml.parse(overlongSlash))
                .isExactlyInstanceOf(BadInputException.class)
                .hasMessage("malformed XML: not UTF-8, an invalid byte sequence at byte 9");
    }

    @Test
    void nestingAsDeepAsTheBodyAllowsIsReadPast() {
        String deep = "<a>".repeat(100_000) + "</a>".repeat(100_000);

        assertThat(parse("<xml><Deep>" + deep + "</Deep><MsgId>1</MsgId></xml>").fields()).containsOnlyKeys("MsgId");
    }
}
