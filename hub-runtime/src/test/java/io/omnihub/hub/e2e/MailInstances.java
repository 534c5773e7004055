package io.omnihub.hub.e2e;

import com.icegreen.greenmail.util.GreenMail;
import org.springframework.test.context.DynamicPropertyRegistry;

/** E-mail instances configured by properties, as an integrator writes them, sending to a GreenMail server. */
final class MailInstances {

    private MailInstances() {
    }

    /**
     * Registers {@code hub.connectors.email.<instance>.*}: plain SMTP to {@code smtp} with {@code user}
     * and {@code password}, from {@code news@shop.example}, unsubscribe links under {@code publicBaseUrl}.
     */
    static void register(DynamicPropertyRegistry registry, String instance, GreenMail smtp, String user, String password,
                         String publicBaseUrl, String unsubscribeSecret) {
        String prefix = "hub.connectors.email." + instance + ".";
        registry.add(prefix + "smtp-host", () -> "127.0.0.1");
        registry.add(prefix + "smtp-port", () -> Integer.toString(smtp.getSmtp().getPort()));
        registry.add(prefix + "smtp-security", () -> "none");
        registry.add(prefix + "username", () -> user);
        registry.add(prefix + "password", () -> password);
        registry.add(prefix + "from-address", () -> "news@shop.example");
        registry.add(prefix + "public-base-url", () -> publicBaseUrl);
        registry.add(prefix + "unsubscribe-secret", () -> unsubscribeSecret);
    }
}
