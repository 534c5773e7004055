package io.omnihub.connectors.pos;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.schema.CanonicalEventValidator;
import io.omnihub.connector.schema.ConfigSchema;
import io.omnihub.testkit.MutableClock;
import io.omnihub.testkit.TestConnectorContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Test data and contexts shared by the POS tests. */
final class PosFixtures {

    /** A made-up Pospal account. */
    static final String APP_ID = "A1B2C3D4E5F60718293A4B5C6D7E8F90";
    static final String APP_KEY = "6F2B7A1C9E4D8035";
    static final String BRAND = "acme";
    static final String INSTANCE = "flagship";

    /** The hub clock in tests: 10:00 in Shanghai. */
    static final Instant NOW = Instant.parse("2025-05-20T02:00:00Z");

    static final Set<String> SECRET_KEYS = ConfigSchema.parse(new PosConnector().descriptor().configSchema()).secretKeys();

    private static final CanonicalEventValidator RULES = CanonicalEventValidator.create();

    private PosFixtures() {
    }

    static byte[] resource(String path) {
        try (InputStream in = PosFixtures.class.getResourceAsStream("/pos/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /pos/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String path) {
        return new String(resource(path), StandardCharsets.UTF_8);
    }

    static Map<String, String> cloudConfig(String baseUrl) {
        Map<String, String> config = new HashMap<>();
        config.put("source", "cloud-api");
        config.put("brand", BRAND);
        config.put("app-id", APP_ID);
        config.put("app-key", APP_KEY);
        config.put("api-base-url", baseUrl);
        return config;
    }

    static Map<String, String> csvConfig(Path folder) {
        Map<String, String> config = new HashMap<>();
        config.put("source", "csv-folder");
        config.put("brand", BRAND);
        config.put("folder", folder.toString());
        return config;
    }

    static TestConnectorContext context(Map<String, String> config) {
        return new TestConnectorContext(PosConnector.ID, INSTANCE, config, SECRET_KEYS, new MutableClock(NOW));
    }

    /** Copies a CSV fixture into {@code folder}, last modified an hour before {@link #NOW} (settled). */
    static Path drop(Path folder, String fixture) {
        return drop(folder, fixture, fixture, NOW.minus(Duration.ofHours(1)));
    }

    static Path drop(Path folder, String fixture, String name, Instant modified) {
        try {
            Path file = folder.resolve(name);
            Files.write(file, resource("csv/" + fixture));
            Files.setLastModifiedTime(file, FileTime.from(modified));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The signature computed here, apart from the connector's {@link PospalSigner}. */
    static String md5Upper(String appKey, byte[] body) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] key = appKey.getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[key.length + body.length];
            System.arraycopy(key, 0, all, 0, key.length);
            System.arraycopy(body, 0, all, key.length, body.length);
            StringBuilder hex = new StringBuilder();
            for (byte b : md5.digest(all)) {
                hex.append(String.format("%02X", b & 0xff));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks events against the canonical event rules the hub's normalize stage applies. */
    static void assertValid(Collection<CustomerEvent> events) {
        for (CustomerEvent event : events) {
            assertThat(RULES.validate(event, PosConnector.ID, INSTANCE)).as("violations of %s", event.id()).isEmpty();
        }
    }
}
