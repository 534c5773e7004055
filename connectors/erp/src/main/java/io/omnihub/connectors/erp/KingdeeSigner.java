package io.omnihub.connectors.erp;

import io.omnihub.connector.errors.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The headers of Kingdee's login-free signed mode (API 签名认证, auth version 2.0), exactly as the
 * official SDKs compute them (PROTOCOLS §7.1):
 *
 * <pre>
 * X-Api-ClientID      = the app id before '_'
 * X-Api-Auth-Version  = 2.0
 * x-api-timestamp     = x-api-nonce = unix seconds
 * x-api-signheaders   = x-api-timestamp,x-api-nonce
 * X-Api-Signature     = base64(hex(HMAC-SHA256(client_sec,
 *                         "POST\n" + urlencode(path) with '/' as %2F + "\n\nx-api-nonce:" + nonce
 *                         + "\nx-api-timestamp:" + ts + "\n")))
 * client_sec          = base64(base64decode(app id after '_') XOR "0054f397c6234378b09ca7d3e5debce7")
 * X-Kd-Appkey         = the app id
 * appData             = acctId + "," + user + "," + lcid + "," + orgNum
 * X-Kd-Appdata        = base64(appData)
 * X-Kd-Signature      = base64(hex(HMAC-SHA256(appSecret, appId + appData)))
 * </pre>
 *
 * {@code X-Kd-Signature} signs the plain appData text, not its Base64 header value (as the Python
 * SDK does; PROTOCOLS' vector confirms it).
 *
 * The newlines are real newlines (the kingdee-php SDK's single-quoted {@code 'POST\n'} is a known
 * bug), and Base64 is taken of the lowercase hex text, not of the raw digest. Immutable and
 * thread-safe.
 */
public final class KingdeeSigner {

    /** Kingdee's fixed XOR key for the client secret: ROT13 of the SDKs' obfuscated constant. */
    static final byte[] XOR_KEY = "0054f397c6234378b09ca7d3e5debce7".getBytes(StandardCharsets.US_ASCII);

    private final String appId;
    private final String clientId;
    private final String clientSecret;
    private final String appSecret;
    private final String appData;
    private final String appDataHeader;

    /**
     * @throws ConfigException when {@code appId} is not {@code <client id>_<32 Base64 characters>}
     */
    public KingdeeSigner(String appId, String appSecret, String acctId, String username, int lcid, String orgNumber) {
        int cut = appId.indexOf('_');
        if (cut <= 0 || cut == appId.length() - 1) {
            throw new ConfigException("'" + KingdeeConfig.APP_ID + "' must be <client id>_<secret part> for signed mode");
        }
        this.appId = appId;
        this.clientId = appId.substring(0, cut);
        this.clientSecret = clientSecret(appId.substring(cut + 1));
        this.appSecret = appSecret;
        this.appData = acctId + "," + username + "," + lcid + "," + orgNumber;
        this.appDataHeader = Base64.getEncoder().encodeToString(appData.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The signing headers for a POST to {@code path} (the URL's path, e.g.
     * {@code /k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc}).
     *
     * @param epochSeconds the hub clock's unix time; Kingdee uses it as timestamp and nonce
     */
    public Map<String, List<String>> headers(String path, long epochSeconds) {
        String timestamp = Long.toString(epochSeconds);
        String nonce = timestamp;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("X-Api-ClientID", List.of(clientId));
        headers.put("X-Api-Auth-Version", List.of("2.0"));
        headers.put("x-api-timestamp", List.of(timestamp));
        headers.put("x-api-nonce", List.of(nonce));
        headers.put("x-api-signheaders", List.of("x-api-timestamp,x-api-nonce"));
        headers.put("X-Api-Signature", List.of(apiSignature(clientSecret, path, nonce, timestamp)));
        headers.put("X-Kd-Appkey", List.of(appId));
        headers.put("X-Kd-Appdata", List.of(appDataHeader));
        headers.put("X-Kd-Signature", List.of(hexHmacBase64(appSecret, appId + appData)));
        return headers;
    }

    /** The HMAC key of {@code X-Api-Signature}, derived from the part of the app id after '_'. */
    static String clientSecret(String secretPart) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(secretPart);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'" + KingdeeConfig.APP_ID + "' is not a Kingdee third-party app id: "
                    + "the part after '_' must be Base64");
        }
        if (decoded.length > XOR_KEY.length) {
            throw new ConfigException("'" + KingdeeConfig.APP_ID + "' is not a Kingdee third-party app id: "
                    + "the part after '_' is too long");
        }
        byte[] mixed = new byte[decoded.length];
        for (int i = 0; i < decoded.length; i++) {
            mixed[i] = (byte) (decoded[i] ^ XOR_KEY[i]);
        }
        return Base64.getEncoder().encodeToString(mixed);
    }

    /** {@code X-Api-Signature} for a POST to {@code path}. */
    static String apiSignature(String clientSecret, String path, String nonce, String timestamp) {
        String content = "POST\n" + encodePath(path) + "\n\nx-api-nonce:" + nonce + "\nx-api-timestamp:" + timestamp + "\n";
        return hexHmacBase64(clientSecret, content);
    }

    /**
     * Percent-encodes a path as Python's {@code quote(path).replace('/', '%2F')}: everything but
     * {@code A-Z a-z 0-9 _ . - ~} becomes {@code %XX} (upper-case hex) of its UTF-8 bytes.
     */
    static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Base64 of the lowercase hex of HMAC-SHA256({@code key}, {@code content}), both UTF-8. */
    static String hexHmacBase64(String key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String hex = HexFormat.of().formatHex(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
            return Base64.getEncoder().encodeToString(hex.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "KingdeeSigner{clientId=" + clientId + ", secrets=******}";
    }
}
