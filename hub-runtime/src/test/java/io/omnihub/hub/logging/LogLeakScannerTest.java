package io.omnihub.hub.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.StandardEnvironment;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The log scanner the end-to-end suites run with: a test class whose code logs a phone number or a
 * customer's name unmasked fails, and the same class passes when the hub's logging masks it.
 */
class LogLeakScannerTest {

    @AfterAll
    static void restoreTheHubsLogging() {
        configureLogging("classpath:logback-spring.xml");
    }

    @Test
    void aTestClassWhoseStackTracesCarryPersonalDataFailsWhenOnlyMessagesAreMasked() {
        configureLogging("classpath:log-scanner/message-masking-only.xml");

        TestExecutionSummary summary = run(LeakingCode.class);

        assertThat(summary.getContainersFailedCount()).isEqualTo(1);
        assertThat(summary.getFailures()).singleElement()
                .satisfies(failure -> assertThat(failure.getException())
                        .isInstanceOf(AssertionError.class)
                        .hasMessageContaining("logged personal data unmasked")
                        .hasMessageContaining("13912345678"));
    }

    @Test
    void theSameTestClassPassesWithTheHubsLoggingWhichMasksStackTracesAndDatabaseDetails() {
        configureLogging("classpath:logback-spring.xml");

        TestExecutionSummary summary = run(LeakingCode.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(summary.getFailures()).isEmpty();
    }

    @Test
    void aDebugStatementThatWouldLeakFailsTheTestClassThoughTheLevelIsNotWritten() {
        configureLogging("classpath:logback-spring.xml");

        TestExecutionSummary summary = run(LeakingDebugCode.class);

        assertThat(summary.getFailures()).singleElement()
                .satisfies(failure -> assertThat(failure.getException()).hasMessageContaining("DEBUG, not written").hasMessageContaining("王芳"));
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LeakingCode.running = true;
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(), listener);
        } finally {
            LeakingCode.running = false;
        }
        return listener.getSummary();
    }

    private static void configureLogging(String location) {
        LoggingSystem logging = LoggingSystem.get(LogLeakScannerTest.class.getClassLoader());
        logging.cleanUp();
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), location, null);
    }

    /** Code under test that logs a failure whose exception carries a phone number and a PostgreSQL detail with a name. */
    @ExtendWith(LogLeakExtension.class)
    static class LeakingCode {

        static volatile boolean running;

        @Test
        void logsAFailedInsert() {
            Assumptions.assumeTrue(running, "run by LogLeakScannerTest only");
            SQLException duplicate = new SQLException("ERROR: duplicate key value violates unique constraint \"crm_identity_pkey\"\n"
                    + "  Detail: Key (type, namespace, value)=(name, , 王芳) already exists.", "23505");
            LoggerFactory.getLogger("io.omnihub.crm.leaky").warn("could not store an identity",
                    new IllegalStateException("could not store phone 13912345678", duplicate));
        }
    }

    /** Code under test that names a customer in free text at DEBUG, which no masking recognises. */
    @ExtendWith(LogLeakExtension.class)
    static class LeakingDebugCode {

        @Test
        void logsACustomersName() {
            Assumptions.assumeTrue(LeakingCode.running, "run by LogLeakScannerTest only");
            LoggerFactory.getLogger("io.omnihub.crm.leaky").debug("merging the profiles of {}", "王芳");
        }
    }
}
