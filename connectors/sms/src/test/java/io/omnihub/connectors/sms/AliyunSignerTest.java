package io.omnihub.connectors.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Aliyun's own SendSms signature walk-through (the SMS documentation's "签名机制" page, reproduced
 * by Aliyun's classic SDK examples): AccessKey {@code testId}/{@code testSecret}, these parameters,
 * method GET.
 */
class AliyunSignerTest {

    private static Map<String, String> documentedParameters() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466");
        params.put("AccessKeyId", "testId");
        params.put("SignatureVersion", "1.0");
        params.put("Timestamp", "2017-07-12T02:42:19Z");
        params.put("Format", "XML");
        params.put("Action", "SendSms");
        params.put("Version", "2017-05-25");
        params.put("RegionId", "cn-hangzhou");
        params.put("PhoneNumbers", "15300000001");
        params.put("SignName", "阿里云短信测试专用");
        params.put("TemplateParam", "{\"customer\":\"test\"}");
        params.put("TemplateCode", "SMS_71390007");
        params.put("OutId", "123");
        return params;
    }

    @Test
    void documentedSendSmsRequestSignsToTheDocumentedSignature() {
        assertThat(AliyunSigner.sign("GET", documentedParameters(), "testSecret")).isEqualTo("zJDF+Lrzhj/ThnlvIToysFRq6t4=");
        assertThat(AliyunSigner.percent(AliyunSigner.sign("GET", documentedParameters(), "testSecret")))
                .isEqualTo("zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D");
    }

    @Test
    void stringToSignSortsAndEncodesEveryParameterTwice() {
        assertThat(AliyunSigner.stringToSign("GET", documentedParameters())).isEqualTo(
                "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001"
                        + "%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD"
                        + "%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1"
                        + "%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0"
                        + "%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D"
                        + "%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25");
    }

    @Test
    void percentEncodingIsRfc3986NotFormEncoding() {
        assertThat(AliyunSigner.percent("a b*c~d+e")).isEqualTo("a%20b%2Ac~d%2Be");
    }

    @Test
    void theSignatureParameterItselfIsNotSigned() {
        Map<String, String> withSignature = documentedParameters();
        withSignature.put("Signature", "anything");

        assertThat(AliyunSigner.sign("GET", withSignature, "testSecret")).isEqualTo("zJDF+Lrzhj/ThnlvIToysFRq6t4=");
    }
}
