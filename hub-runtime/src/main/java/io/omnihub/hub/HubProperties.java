package io.omnihub.hub;

import io.omnihub.hub.http.ResilienceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Everything the hub itself is configured with, under {@code hub.*}. Every default works with zero
 * configuration: {@code java -jar omnihub.jar} in an empty folder starts a complete hub.
 */
@ConfigurationProperties("hub")
public class HubProperties {

    /**
     * Where the hub keeps its state: the embedded PostgreSQL cluster ({@code postgres/}) and the
     * embedded Artemis journal ({@code artemis/}). Back it up; never share it between two running hubs.
     */
    private Path dataDir = Path.of("data");

    /** The connector plugin folder and how it is watched. */
    private final Plugins plugins = new Plugins();

    /** Who may use the API and console. */
    private final Security security = new Security();

    /**
     * Connector instances, one map per configured account:
     * {@code hub.connectors.<connector>.<instance>.<key>=value}, keys in kebab-case as the
     * connector's configuration schema declares them, e.g. {@code hub.connectors.wechat.brand-oa.app-id}.
     */
    private Map<String, Map<String, Map<String, String>>> connectors = new LinkedHashMap<>();

    /** Identity resolution rules handed to the CRM core. */
    private final Identity identity = new Identity();

    /** How FAILED connector instances are restarted automatically. */
    private final InstanceRestart instanceRestart = new InstanceRestart();

    /** The operator console and its board. */
    private final Console console = new Console();

    /** Resilience applied to every connector instance's outbound HTTP calls (one set of state per instance). */
    @NestedConfigurationProperty
    private final ResilienceSettings resilience = new ResilienceSettings();

    /** The embedded PostgreSQL server, used when {@code spring.datasource.url} is not set. */
    private final EmbeddedDatabase embeddedDatabase = new EmbeddedDatabase();

    /** The embedded Artemis broker, used when {@code spring.artemis.mode=embedded}. */
    private final EmbeddedBroker embeddedBroker = new EmbeddedBroker();

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Plugins getPlugins() {
        return plugins;
    }

    public Security getSecurity() {
        return security;
    }

    public Map<String, Map<String, Map<String, String>>> getConnectors() {
        return connectors;
    }

    public void setConnectors(Map<String, Map<String, Map<String, String>>> connectors) {
        this.connectors = connectors;
    }

    public Identity getIdentity() {
        return identity;
    }

    public InstanceRestart getInstanceRestart() {
        return instanceRestart;
    }

    public Console getConsole() {
        return console;
    }

    public ResilienceSettings getResilience() {
        return resilience;
    }

    public EmbeddedDatabase getEmbeddedDatabase() {
        return embeddedDatabase;
    }

    public EmbeddedBroker getEmbeddedBroker() {
        return embeddedBroker;
    }

    /** The connector plugin folder. */
    public static class Plugins {

        /** The folder the hub loads connector plugin JARs from and watches for new or removed ones. */
        private Path dir = Path.of("plugins");

        /**
         * How often the folder is checked for added, replaced and removed JARs. A new JAR is loaded
         * once its size and modification time stayed the same between two checks, so a JAR still
         * being copied is never loaded half-written.
         */
        private Duration scanInterval = Duration.ofSeconds(2);

        /**
         * SHA-256 digests (hex) of the plugin JARs allowed to load. Empty (the default): every JAR in
         * the folder may load. When set, any other JAR, copied in or uploaded, is refused and listed
         * with the reason, so production runs only reviewed builds.
         */
        private List<String> allowedSha256 = new java.util.ArrayList<>();

        /** The largest plugin JAR accepted by upload over the API. */
        private org.springframework.util.unit.DataSize maxUploadSize = org.springframework.util.unit.DataSize.ofMegabytes(64);

        public List<String> getAllowedSha256() {
            return allowedSha256;
        }

        public void setAllowedSha256(List<String> allowedSha256) {
            this.allowedSha256 = allowedSha256;
        }

        public org.springframework.util.unit.DataSize getMaxUploadSize() {
            return maxUploadSize;
        }

        public void setMaxUploadSize(org.springframework.util.unit.DataSize maxUploadSize) {
            this.maxUploadSize = maxUploadSize;
        }

        public Path getDir() {
            return dir;
        }

        public void setDir(Path dir) {
            this.dir = dir;
        }

        public Duration getScanInterval() {
            return scanInterval;
        }

        public void setScanInterval(Duration scanInterval) {
            this.scanInterval = scanInterval;
        }
    }

    /**
     * Automatic restart of connector instances that failed to open for a reason other than their
     * configuration: the first retry after {@code initial-delay}, each next one after twice the
     * previous delay, never longer than {@code max-delay}.
     */
    public static class InstanceRestart {

        /** Delay before the first automatic restart of a FAILED instance. */
        private Duration initialDelay = Duration.ofSeconds(1);

        /** The longest delay between two automatic restarts. */
        private Duration maxDelay = Duration.ofMinutes(5);

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }
    }

    /** The operator console's route health board. */
    public static class Console {

        /**
         * How often the per-instance throughput and error figures are sampled from the meters; the
         * board shows the last minute of samples.
         */
        private Duration sampleInterval = Duration.ofSeconds(5);

        /** How long a count of the dead-letter queue per instance is reused before the queue is browsed again. */
        private Duration deadLetterCountTtl = Duration.ofSeconds(2);

        public Duration getSampleInterval() {
            return sampleInterval;
        }

        public void setSampleInterval(Duration sampleInterval) {
            this.sampleInterval = sampleInterval;
        }

        public Duration getDeadLetterCountTtl() {
            return deadLetterCountTtl;
        }

        public void setDeadLetterCountTtl(Duration deadLetterCountTtl) {
            this.deadLetterCountTtl = deadLetterCountTtl;
        }
    }

    /** Logins for the API and console. */
    public static class Security {

        /**
         * Password of the built-in {@code admin} user (role admin); set it with the environment
         * variable {@code HUB_SECURITY_ADMIN_PASSWORD}. When empty, a random password is generated
         * at every start and printed once in the startup summary.
         */
        private String adminPassword;

        /**
         * Further users by name, each with a password and a role ({@code viewer}, {@code operator}
         * or {@code admin}). Passwords may be given as Spring Security encoded values
         * ({@code {bcrypt}$2a$...}) or in plain text.
         */
        private Map<String, User> users = new LinkedHashMap<>();

        /**
         * Origins besides the hub's own from which a browser may change things, e.g.
         * {@code https://ops.example.com} when the console is served under another host name by a
         * proxy that rewrites the {@code Host} header. Empty (the default): only the hub's own origin.
         */
        private List<String> trustedOrigins = new java.util.ArrayList<>();

        /** Failed-login limits of the login form, HTTP Basic and API tokens. */
        private final Login login = new Login();

        /** The key that seals secrets kept in the database. */
        private final Sealing sealing = new Sealing();

        public Sealing getSealing() {
            return sealing;
        }

        public List<String> getTrustedOrigins() {
            return trustedOrigins;
        }

        public void setTrustedOrigins(List<String> trustedOrigins) {
            this.trustedOrigins = trustedOrigins;
        }

        public Login getLogin() {
            return login;
        }

        public String getAdminPassword() {
            return adminPassword;
        }

        public void setAdminPassword(String adminPassword) {
            this.adminPassword = adminPassword;
        }

        public Map<String, User> getUsers() {
            return users;
        }

        public void setUsers(Map<String, User> users) {
            this.users = users;
        }

        /** One further login. */
        public static class User {

            /** The password, plain or Spring Security encoded ({@code {bcrypt}...}). */
            private String password;

            /** What the user may do: {@code viewer} reads, {@code operator} also acts, {@code admin} everything. */
            private Role role = Role.VIEWER;

            /**
             * Whether the user may reveal a customer's personal data (asked per customer with a
             * reason, audited); for operators, admins always may. Off by default: every role sees
             * phones, channel ids, names and addresses masked.
             */
            private boolean reveal;

            public boolean isReveal() {
                return reveal;
            }

            public void setReveal(boolean reveal) {
                this.reveal = reveal;
            }

            public String getPassword() {
                return password;
            }

            public void setPassword(String password) {
                this.password = password;
            }

            public Role getRole() {
                return role;
            }

            public void setRole(Role role) {
                this.role = role;
            }
        }

        /**
         * Failed logins (login form, HTTP Basic, API tokens) counted per user name and per client
         * address; too many within {@code failure-window} lock that name or address out for
         * {@code lockout}, during which its attempts are refused without checking a password.
         */
        public static class Login {

            /** Failed logins of one user name, from any address, before it is locked out. */
            private int maxFailuresPerUser = 10;

            /** Failed logins from one client address, for any user names or tokens, before it is locked out. */
            private int maxFailuresPerAddress = 30;

            /** How long failures are counted together, from the first one. */
            private Duration failureWindow = Duration.ofMinutes(15);

            /** How long a locked-out user name or address is refused. */
            private Duration lockout = Duration.ofMinutes(5);

            public int getMaxFailuresPerUser() {
                return maxFailuresPerUser;
            }

            public void setMaxFailuresPerUser(int maxFailuresPerUser) {
                this.maxFailuresPerUser = maxFailuresPerUser;
            }

            public int getMaxFailuresPerAddress() {
                return maxFailuresPerAddress;
            }

            public void setMaxFailuresPerAddress(int maxFailuresPerAddress) {
                this.maxFailuresPerAddress = maxFailuresPerAddress;
            }

            public Duration getFailureWindow() {
                return failureWindow;
            }

            public void setFailureWindow(Duration failureWindow) {
                this.failureWindow = failureWindow;
            }

            public Duration getLockout() {
                return lockout;
            }

            public void setLockout(Duration lockout) {
                this.lockout = lockout;
            }
        }

        /**
         * The AES-256 key that seals secrets kept in the database: API-created instances' secrets
         * and cached channel tokens (docs/runtime.md, "Secrets at rest").
         */
        public static class Sealing {

            /**
             * The key, base64 of 32 random bytes ({@code openssl rand -base64 32}); set it with the
             * environment variable {@code HUB_SECURITY_SEALING_KEY}, the same on every node of a
             * cluster. Empty (the default): the key in {@code ${hub.data-dir}/sealing.key}, an
             * owner-only file created with a random key on first start.
             */
            private String key;

            /**
             * Keys being rotated out (base64): values they sealed still open, and are sealed again
             * with the current key at start. Remove a key here once every node runs with the new one.
             */
            private List<String> previousKeys = new java.util.ArrayList<>();

            public String getKey() {
                return key;
            }

            public void setKey(String key) {
                this.key = key;
            }

            public List<String> getPreviousKeys() {
                return previousKeys;
            }

            public void setPreviousKeys(List<String> previousKeys) {
                this.previousKeys = previousKeys;
            }
        }

        /** The roles of DESIGN §8; each includes the ones below it. */
        public enum Role {
            /** Reads status, customers and dead letters. */
            VIEWER,
            /** Also pauses, restarts and replays. */
            OPERATOR,
            /** Also installs plugins and manages users. */
            ADMIN
        }
    }

    /** Identity resolution rules (DESIGN §5), mapped onto the CRM core's identity policy. */
    public static class Identity {

        /**
         * Values per identity type that never identify a person and are ignored for matching, on
         * top of the CRM core's built-in list; e.g. {@code hub.identity.blocked-values.phone=+8613800000000}
         * for a test number shared by every demo account (phones are compared in E.164).
         */
        private Map<String, List<String>> blockedValues = new LinkedHashMap<>();

        /**
         * Rule changes per identity type, e.g. {@code hub.identity.types.device_id.max-per-profile=5}
         * or {@code hub.identity.types.email.linkable=false}. Keys: {@code linkable}, {@code priority},
         * {@code max-per-profile}, {@code per-namespace}, {@code channel}, {@code blocked-patterns}
         * (';'-separated regular expressions). Types and keys not given keep the CRM core's defaults.
         */
        private Map<String, Map<String, String>> types = new LinkedHashMap<>();

        /** How phone numbers are read and which kinds link people. */
        private final Phone phone = new Phone();

        /** When an identifier counts as shared by several people, and when weak evidence is corroborated. */
        private final Shared shared = new Shared();

        public Phone getPhone() {
            return phone;
        }

        public Shared getShared() {
            return shared;
        }

        public Map<String, List<String>> getBlockedValues() {
            return blockedValues;
        }

        public void setBlockedValues(Map<String, List<String>> blockedValues) {
            this.blockedValues = blockedValues;
        }

        public Map<String, Map<String, String>> getTypes() {
            return types;
        }

        public void setTypes(Map<String, Map<String, String>> types) {
            this.types = types;
        }

        /** Phone numbers, parsed and classified with libphonenumber. */
        public static class Phone {

            /** ISO 3166 region of numbers written without a country code. */
            private String region = "CN";

            /**
             * The kinds of number that link profiles (libphonenumber's types, lowercase): a store's
             * fixed line or a service number identifies no one person, so by default only mobiles,
             * numbers that may be either, and personal numbers link.
             */
            private List<String> linkableKinds = new java.util.ArrayList<>(List.of("mobile", "fixed_line_or_mobile", "personal_number"));

            public String getRegion() {
                return region;
            }

            public void setRegion(String region) {
                this.region = region;
            }

            public List<String> getLinkableKinds() {
                return linkableKinds;
            }

            public void setLinkableKinds(List<String> linkableKinds) {
                this.linkableKinds = linkableKinds;
            }
        }

        /** Shared identifiers, found from behaviour, and corroboration of weak evidence. */
        public static class Shared {

            /** Types whose values may be shared by several people, and so are watched. */
            private List<String> types = new java.util.ArrayList<>(List.of("phone", "email", "device_id"));

            /** Distinct strong identifiers of one other type (member cards, buyer ids) after which a value is shared. */
            private int peers = 3;

            /** Orders at one store carrying nothing but the value (walk-ins) after which it is shared. */
            private int walkIns = 4;

            /**
             * Distinct orders on which a profile must see a weak identifier (a delivery phone, a noted
             * phone) that another profile holds, before the two are joined; 0 never joins them.
             */
            private int corroborations = 2;

            public List<String> getTypes() {
                return types;
            }

            public void setTypes(List<String> types) {
                this.types = types;
            }

            public int getPeers() {
                return peers;
            }

            public void setPeers(int peers) {
                this.peers = peers;
            }

            public int getWalkIns() {
                return walkIns;
            }

            public void setWalkIns(int walkIns) {
                this.walkIns = walkIns;
            }

            public int getCorroborations() {
                return corroborations;
            }

            public void setCorroborations(int corroborations) {
                this.corroborations = corroborations;
            }
        }
    }

    /** The embedded PostgreSQL server. */
    public static class EmbeddedDatabase {

        /** TCP port on localhost; 0 picks a free port at every start. */
        private int port = 0;

        /** How long to wait for the server to accept connections (first start includes initdb). */
        private Duration startupTimeout = Duration.ofSeconds(60);

        /**
         * How long a server left running by a hard-killed previous hub gets to shut down after
         * SIGTERM before it is killed with SIGKILL (PostgreSQL then recovers from its WAL).
         */
        private Duration staleServerStopTimeout = Duration.ofSeconds(20);

        /**
         * PostgreSQL server settings for the embedded server, a dash for each underscore, e.g.
         * {@code hub.embedded-database.settings.work-mem=16MB} (docs/runtime.md, "Sizing it", says
         * what larger shared buffers did to a large customer graph). {@code fsync},
         * {@code synchronous_commit}, {@code full_page_writes} and {@code listen_addresses} are the
         * hub's own (durability, and a server reached from this machine only) and cannot be set here.
         */
        private Map<String, String> settings = new LinkedHashMap<>();

        public Map<String, String> getSettings() {
            return settings;
        }

        public void setSettings(Map<String, String> settings) {
            this.settings = settings;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public Duration getStartupTimeout() {
            return startupTimeout;
        }

        public void setStartupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
        }

        public Duration getStaleServerStopTimeout() {
            return staleServerStopTimeout;
        }

        public void setStaleServerStopTimeout(Duration staleServerStopTimeout) {
            this.staleServerStopTimeout = staleServerStopTimeout;
        }
    }

    /** The embedded Artemis broker. */
    public static class EmbeddedBroker {

        /**
         * Disk usage (percent of the data dir's file system) above which the broker blocks
         * producers. Artemis defaults to 90, which stops webhooks on a merely busy developer disk;
         * -1 disables the check.
         */
        private int maxDiskUsagePercent = 98;

        /**
         * The most the dead-letter queue may hold on disk. Beyond it the broker refuses further dead
         * letters (the hub stops parking a little before: stages hold their messages, webhooks that
         * would be parked are answered 503), so a flood of bad input can never fill the disk the
         * journal and PostgreSQL share. Alerts fire at half and at 80% of it.
         */
        private DataSize deadLetterMaxSize = DataSize.ofGigabytes(1);

        /**
         * How much of a queue the broker keeps in memory before it pages the rest to disk, so a
         * backlog (the database down for minutes while webhooks keep coming) costs disk, not heap.
         */
        private DataSize queueMemory = DataSize.ofMegabytes(16);

        public DataSize getDeadLetterMaxSize() {
            return deadLetterMaxSize;
        }

        public void setDeadLetterMaxSize(DataSize deadLetterMaxSize) {
            this.deadLetterMaxSize = deadLetterMaxSize;
        }

        public DataSize getQueueMemory() {
            return queueMemory;
        }

        public void setQueueMemory(DataSize queueMemory) {
            this.queueMemory = queueMemory;
        }

        public int getMaxDiskUsagePercent() {
            return maxDiskUsagePercent;
        }

        public void setMaxDiskUsagePercent(int maxDiskUsagePercent) {
            this.maxDiskUsagePercent = maxDiskUsagePercent;
        }
    }
}
