package io.omnihub.connectors.email;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.util.HashMap;
import java.util.Map;

/** A GreenMail SMTP server with one login, and an instance configured for it. */
final class EmailFixtures {

    static final String USERNAME = "crm@omnihub.test";
    static final String PASSWORD = "Smtp-Pa55w0rd-7f3c9a";
    static final String FROM = "news@shop.omnihub.test";
    static final String SECRET = "unsub_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e";
    static final String PUBLIC_BASE_URL = "https://hub.shop.example";

    private EmailFixtures() {
    }

    /** A fresh server per test class, requiring the login above. */
    static GreenMailExtension greenMail() {
        return new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(USERNAME, USERNAME, PASSWORD))
                .withPerMethodLifecycle(false);
    }

    static Map<String, String> config(GreenMailExtension server) {
        Map<String, String> config = new HashMap<>();
        config.put("smtp-host", "127.0.0.1");
        config.put("smtp-port", Integer.toString(server.getSmtp().getPort()));
        config.put("smtp-security", "none");
        config.put("username", USERNAME);
        config.put("password", PASSWORD);
        config.put("from-address", FROM);
        config.put("from-name", "奥米商城");
        config.put("public-base-url", PUBLIC_BASE_URL);
        config.put("unsubscribe-secret", SECRET);
        config.put("timeout", "5s");
        return config;
    }
}
