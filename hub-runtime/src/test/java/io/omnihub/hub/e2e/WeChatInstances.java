package io.omnihub.hub.e2e;

import org.springframework.test.context.DynamicPropertyRegistry;

/** WeChat instances configured by properties, as an integrator writes them. */
final class WeChatInstances {

    private WeChatInstances() {
    }

    /**
     * Registers {@code hub.connectors.wechat.<instance>.*}.
     *
     * @param kind       {@code mp} (Official Account) or {@code wecom}
     * @param aesKey     the EncodingAESKey, or null for an Official Account in plaintext mode
     * @param apiBaseUrl where the WeChat API answers (a WireMock server)
     */
    static void register(DynamicPropertyRegistry registry, String instance, String kind, String appId, String appSecret,
                         String token, String aesKey, String apiBaseUrl) {
        String prefix = "hub.connectors.wechat." + instance + ".";
        registry.add(prefix + "kind", () -> kind);
        registry.add(prefix + "app-id", () -> appId);
        registry.add(prefix + "app-secret", () -> appSecret);
        registry.add(prefix + "token", () -> token);
        if (aesKey != null) {
            registry.add(prefix + "encoding-aes-key", () -> aesKey);
        }
        registry.add(prefix + "api-base-url", () -> apiBaseUrl);
    }
}
