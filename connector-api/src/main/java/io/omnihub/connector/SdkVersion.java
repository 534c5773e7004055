package io.omnihub.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this SDK. Plugins state the range they need in their manifest
 * ({@code Plugin-Requires: >=1.0.0 & <2.0.0}); the hub refuses a plugin whose range excludes it.
 * The SDK follows semantic versioning: a minor version only adds, a major version may break.
 */
public final class SdkVersion {

    /** The version, e.g. {@code 1.0.0}. */
    public static final String CURRENT = load();

    private SdkVersion() {
    }

    private static String load() {
        try (InputStream in = SdkVersion.class.getResourceAsStream("sdk.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("connector-api is missing sdk.properties", e));
        }
    }
}
