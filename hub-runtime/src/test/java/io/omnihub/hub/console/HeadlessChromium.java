package io.omnihub.hub.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's Chromium, headless, driven through the system's chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver}; {@code ./test.sh} installs them). Both paths are given
 * explicitly, so Selenium never looks for, or downloads, a driver or browser of its own.
 *
 * <p>Without them the browser tests fail, so CI cannot pass without running them. A developer may
 * skip them with {@code -Domnihub.browser-tests.skip=true} or {@code OMNIHUB_SKIP_BROWSER_TESTS=true}.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("omnihub.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("omnihub.chromedriver", "/usr/bin/chromedriver"));
    /** hub-runtime/target/screenshots, whether run from the module (tests) or the repository root (benchmarks). */
    static final Path SCREENSHOTS = (Files.isDirectory(Path.of("hub-runtime")) ? Path.of("hub-runtime", "target", "screenshots")
            : Path.of("target", "screenshots")).toAbsolutePath();

    private final WebDriver driver;
    private final Path profile;

    private HeadlessChromium(WebDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts Chromium, or fails (skips, when a developer asked to) when it is not installed. */
    static HeadlessChromium start() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            boolean skip = Boolean.getBoolean("omnihub.browser-tests.skip")
                    || "true".equalsIgnoreCase(System.getenv("OMNIHUB_SKIP_BROWSER_TESTS"));
            String missing = CHROMIUM + " and " + CHROMEDRIVER + " are needed for the console's browser tests:"
                    + " apt-get install chromium chromium-driver (./test.sh does)";
            Assumptions.assumeFalse(skip, missing + "; skipped on request");
            Assertions.fail(missing + ", or skip them with -Domnihub.browser-tests.skip=true");
        }
        try {
            Path profile = Files.createTempDirectory("omnihub-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(new Dimension(1400, 1000));
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new HeadlessChromium(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebDriver driver() {
        return driver;
    }

    /** Saves what the browser shows as {@code target/screenshots/<name>.png}. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary profile harms nothing.
        }
    }
}
