package io.omnihub.hub.console;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A fresh {@link HeadlessChromium} for each test of a console browser test, started before the test
 * and closed after it, with the wait the test's steps poll with and the console's login form. A
 * test class registers it with {@code @RegisterExtension}.
 */
final class ConsoleBrowser implements BeforeEachCallback, AfterEachCallback {

    private final Duration timeout;
    private final Duration interval;
    private HeadlessChromium chromium;
    private WebDriverWait wait;

    /** Each wait gives up after {@code timeout}, looking again every {@code interval}. */
    ConsoleBrowser(Duration timeout, Duration interval) {
        this.timeout = timeout;
        this.interval = interval;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        chromium = HeadlessChromium.start();
        wait = new WebDriverWait(chromium.driver(), timeout, interval);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (chromium != null) {
            chromium.close();
            chromium = null;
        }
    }

    WebDriver driver() {
        return chromium.driver();
    }

    WebDriverWait await() {
        return wait;
    }

    /** Saves what the browser shows as {@code target/screenshots/<name>.png}. */
    Path screenshot(String name) {
        return chromium.screenshot(name);
    }

    /** Opens the console at {@code baseUrl}, logs in through its form and waits for the board. */
    void logIn(String baseUrl, String user, String password) {
        logIn(chromium.driver(), wait, baseUrl, user, password);
    }

    /** {@link #logIn(String, String, String)} in a browser the test opened itself. */
    static void logIn(WebDriver browser, WebDriverWait wait, String baseUrl, String user, String password) {
        browser.get(baseUrl + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#board tbody tr")));
    }

    /** The text of the element {@code css} selects. */
    String text(String css) {
        return chromium.driver().findElement(By.cssSelector(css)).getText();
    }
}
