package io.omnihub.connector.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A channel's answer.
 *
 * @param status  HTTP status
 * @param headers response headers
 * @param body    body bytes
 */
public record HttpResponse(int status, Map<String, List<String>> headers, byte[] body) {

    public HttpResponse {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public String bodyAsUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
