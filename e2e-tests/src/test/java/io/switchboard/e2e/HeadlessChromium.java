package io.switchboard.e2e;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Pattern;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver (paths as the {@code chromium} and
 * {@code chromium-driver} packages install them; {@code CHROMIUM} and {@code CHROMEDRIVER} override).
 * Given both, Selenium downloads nothing.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Pattern TICKET_PARAMETER = Pattern.compile("ticket=[^&\\s'\"]+");

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    static HeadlessChromium start() {
        File browser = executable("CHROMIUM", "/usr/bin/chromium");
        File chromedriver = executable("CHROMEDRIVER", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1280,860", "--lang=en-US");
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
                .usingAnyFreePort().build();
        return new HeadlessChromium(new ChromeDriver(service, options));
    }

    private static File executable(String variable, String debianPath) {
        File file = new File(System.getenv().getOrDefault(variable, debianPath));
        if (!file.canExecute()) {
            throw new IllegalStateException(file + " is missing: install Debian's chromium and chromium-driver "
                    + "(apt-get install -y chromium chromium-driver) or set " + variable);
        }
        return file;
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Saves what the page shows as {@code target/screenshots/<name>.png} (a test artifact). */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The page's console messages since the last call (errors help explain a failed wait), with
     * tickets removed: Chromium logs a failed WebSocket's URL, and its ticket is a query parameter
     * (one-use and short-lived, but still not for a build log).
     */
    List<String> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString)
                .map(line -> TICKET_PARAMETER.matcher(line).replaceAll("ticket=(redacted)")).toList();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
