package io.omnihub.connectors.email;

import io.omnihub.connector.InstanceConfig;
import io.omnihub.connector.errors.ConfigException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One sending account's settings, checked once when the instance opens.
 *
 * <p>A final class rather than a record: a record's generated {@code toString} would print the
 * secrets into any log that prints the config.
 */
public final class EmailConfig {

    /** How the connection to the SMTP server is protected. */
    public enum Security {
        /** Plain connection upgraded with STARTTLS, which is required (port 587). */
        STARTTLS(587),
        /** TLS from the first byte (SMTPS, port 465). */
        SSL(465),
        /** No TLS: only for a relay on the same host or network (port 25). */
        NONE(25);

        private final int defaultPort;

        Security(int defaultPort) {
            this.defaultPort = defaultPort;
        }
    }

    public static final String SMTP_HOST = "smtp-host";
    public static final String SMTP_PORT = "smtp-port";
    public static final String SMTP_SECURITY = "smtp-security";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String FROM_ADDRESS = "from-address";
    public static final String FROM_NAME = "from-name";
    public static final String REPLY_TO = "reply-to";
    public static final String PUBLIC_BASE_URL = "public-base-url";
    public static final String UNSUBSCRIBE_SECRET = "unsubscribe-secret";
    public static final String TEMPLATE_DIR = "template-dir";
    public static final String TIMEOUT = "timeout";
    /** The shortest unsubscribe secret accepted: it keys the tokens that stop anyone unsubscribing others. */
    static final int MIN_SECRET_LENGTH = 32;

    private final String smtpHost;
    private final int smtpPort;
    private final Security security;
    private final String username;
    private final String password;
    private final InternetAddress from;
    private final InternetAddress replyTo;
    private final URI publicBaseUrl;
    private final String unsubscribeSecret;
    private final Path templateDir;
    private final Duration timeout;

    private EmailConfig(String smtpHost, int smtpPort, Security security, String username, String password,
                        InternetAddress from, InternetAddress replyTo, URI publicBaseUrl, String unsubscribeSecret,
                        Path templateDir, Duration timeout) {
        this.smtpHost = smtpHost;
        this.smtpPort = smtpPort;
        this.security = security;
        this.username = username;
        this.password = password;
        this.from = from;
        this.replyTo = replyTo;
        this.publicBaseUrl = publicBaseUrl;
        this.unsubscribeSecret = unsubscribeSecret;
        this.templateDir = templateDir;
        this.timeout = timeout;
    }

    /**
     * Reads and checks an instance's configuration.
     *
     * @throws ConfigException naming the key that cannot work; never quoting a secret value
     */
    public static EmailConfig from(InstanceConfig config) {
        Security security = config.enumValue(SMTP_SECURITY, Security.class, Security.STARTTLS);
        String username = config.get(USERNAME).map(String::trim).orElse(null);
        String password = config.get(PASSWORD).orElse(null);
        if ((username == null) != (password == null)) {
            throw new ConfigException("'" + USERNAME + "' and '" + PASSWORD + "' go together: set both, or neither for an open relay");
        }
        String secret = config.require(UNSUBSCRIBE_SECRET);
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new ConfigException("'" + UNSUBSCRIBE_SECRET + "' must have at least " + MIN_SECRET_LENGTH + " characters");
        }
        Path templateDir = config.get(TEMPLATE_DIR).map(Path::of).orElse(null);
        if (templateDir != null && !Files.isDirectory(templateDir)) {
            throw new ConfigException("'" + TEMPLATE_DIR + "' is not a folder: " + templateDir);
        }
        return new EmailConfig(config.require(SMTP_HOST).trim(),
                config.integer(SMTP_PORT, security.defaultPort, 1, 65535), security, username, password,
                address(config, FROM_ADDRESS, config.get(FROM_NAME).orElse(null), true),
                config.get(REPLY_TO).isPresent() ? address(config, REPLY_TO, null, true) : null,
                config.requireUrl(PUBLIC_BASE_URL), secret, templateDir,
                config.duration(TIMEOUT, Duration.ofSeconds(30)));
    }

    private static InternetAddress address(InstanceConfig config, String key, String personal, boolean required) {
        String value = required ? config.require(key).trim() : config.get(key).orElse("").trim();
        try {
            InternetAddress address = new InternetAddress(value, true);
            if (personal != null && !personal.isBlank()) {
                address.setPersonal(personal.trim(), "UTF-8");
            }
            return address;
        } catch (AddressException | java.io.UnsupportedEncodingException e) {
            throw new ConfigException("'" + key + "' is not an e-mail address: " + value);
        }
    }

    public String smtpHost() {
        return smtpHost;
    }

    public int smtpPort() {
        return smtpPort;
    }

    public Security security() {
        return security;
    }

    /** The SMTP user; absent for a relay that takes mail without login. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** The sender, with its display name. */
    public InternetAddress from() {
        return from;
    }

    public Optional<InternetAddress> replyTo() {
        return Optional.ofNullable(replyTo);
    }

    /** Where the internet reaches the hub, without a trailing slash: unsubscribe links point there. */
    public URI publicBaseUrl() {
        return publicBaseUrl;
    }

    String unsubscribeSecret() {
        return unsubscribeSecret;
    }

    /** The folder of named templates; absent when actions bring their own subject and bodies. */
    public Optional<Path> templateDir() {
        return Optional.ofNullable(templateDir);
    }

    /** Connect, read and write timeout of one SMTP conversation step. */
    public Duration timeout() {
        return timeout;
    }

    /** The domain of the sender's address: the right-hand side of every Message-ID. */
    public String domain() {
        String address = from.getAddress();
        return address.substring(address.indexOf('@') + 1);
    }

    @Override
    public String toString() {
        return "EmailConfig{smtp=" + smtpHost + ":" + smtpPort + " " + security + ", username=" + username
                + ", from=" + from.getAddress() + ", publicBaseUrl=" + publicBaseUrl + ", password="
                + (password == null ? "unset" : "******") + ", unsubscribeSecret=******}";
    }
}
