package io.omnihub.connectors.sms;

import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.WebhookRequests;
import java.time.Instant;

/** Vendor callbacks as the tests send them: a sample file POSTed to the callback URL with its key. */
final class SmsCallbacks {

    private SmsCallbacks() {
    }

    /** {@code sms/<file>} POSTed as JSON with {@code ?key=<key>}. */
    static WebhookRequest post(String file, String key, Instant receivedAt) {
        return WebhookRequests.post(WebhookRequests.resource(SmsCallbacks.class, "/sms/" + file))
                .query(CallbackKey.PARAMETER, key)
                .header("Content-Type", "application/json")
                .receivedAt(receivedAt)
                .build();
    }

    /** The same request with another key: what someone guessing the URL sends. */
    static WebhookRequest withWrongKey(WebhookRequest signed) {
        String key = signed.queryParam(CallbackKey.PARAMETER).orElse("");
        return WebhookRequests.from(signed).replaceQuery(CallbackKey.PARAMETER, "x" + key.substring(Math.min(1, key.length()))).build();
    }
}
