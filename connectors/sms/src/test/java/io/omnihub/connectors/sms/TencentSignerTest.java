package io.omnihub.connectors.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Tencent Cloud's "签名方法 v3" walk-through: {@code DescribeInstances} on {@code cvm}, timestamp
 * 1551113065, this body. The documentation has published it with two example keys: the older
 * {@code ...EXAMPLE} pair and the current one masked with asterisks; both signatures are stated there.
 */
class TencentSignerTest {

    private static final byte[] BODY = "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final long TIMESTAMP = 1551113065;
    private static final String DOC_CONTENT_TYPE = "application/json; charset=utf-8";

    @Test
    void documentedRequestHashesToTheDocumentedCanonicalRequest() {
        assertThat(TencentSigner.sha256Hex(BODY)).isEqualTo("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
        assertThat(TencentSigner.canonicalRequest(DOC_CONTENT_TYPE, "cvm.tencentcloudapi.com", BODY)).isEqualTo("""
                POST
                /

                content-type:application/json; charset=utf-8
                host:cvm.tencentcloudapi.com

                content-type;host
                35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064""");
        assertThat(TencentSigner.sha256Hex(TencentSigner.canonicalRequest(DOC_CONTENT_TYPE, "cvm.tencentcloudapi.com", BODY)
                .getBytes(StandardCharsets.UTF_8))).isEqualTo("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
    }

    @Test
    void documentedExampleKeySignsToTheDocumentedAuthorization() {
        assertThat(TencentSigner.authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                "cvm", DOC_CONTENT_TYPE, "cvm.tencentcloudapi.com", TIMESTAMP, BODY))
                .isEqualTo("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
                        + "SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    }

    @Test
    void documentedMaskedKeySignsToItsDocumentedSignature() {
        assertThat(TencentSigner.authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", "Gu5t9xGARNpq86cd98joQYCN3*******",
                "cvm", DOC_CONTENT_TYPE, "cvm.tencentcloudapi.com", TIMESTAMP, BODY))
                .endsWith("Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c");
    }

    @Test
    void requestsSignTheContentTypeTheySend() {
        assertThat(TencentSigner.canonicalRequest(TencentSigner.CONTENT_TYPE, "sms.tencentcloudapi.com", BODY))
                .startsWith("POST\n/\n\ncontent-type:application/json\nhost:sms.tencentcloudapi.com\n");
    }

    @Test
    void theCredentialDateIsTheUtcDateEvenWhenBeijingIsAlreadyTomorrow() {
        // 2019-02-26 00:44:25 in Beijing is still 2019-02-25 in UTC.
        assertThat(TencentSigner.authorization("id", "key", "sms", "sms.tencentcloudapi.com", TIMESTAMP, BODY))
                .contains("Credential=id/2019-02-25/sms/tc3_request");
    }
}
