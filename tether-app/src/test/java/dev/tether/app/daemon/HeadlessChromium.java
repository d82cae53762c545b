package dev.tether.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.testkit.Chaos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven through its own chromedriver — both named by path, so
 * Selenium Manager never looks for (or downloads) a driver or a browser. chromedriver and every
 * Chromium process carry a fresh {@code CHAOS_TAG} in their environment: {@link #close()} quits
 * the browser and proves that none of them survives (reaping them by that tag if any did).
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final String tag;

    private HeadlessChromium(ChromeDriver driver, ChromeDriverService service, String tag) {
        this.driver = driver;
        this.service = service;
        this.tag = tag;
    }

    /**
     * Starts the browser with a fresh profile under {@code workDir}.
     *
     * @throws AssertionError naming what to install when Chromium or chromedriver is missing: the
     *                        dashboard test must fail there, not be skipped
     */
    static HeadlessChromium start(Path workDir) throws IOException {
        requireInstalled();
        String tag = Chaos.newTag("chromium");
        Path profile = Files.createDirectories(workDir.resolve("profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of("CHAOS_TAG", tag))
                .withLogFile(workDir.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        LoggingPreferences console = new LoggingPreferences();
        console.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", console);
        HeadlessChromium browser;
        try {
            browser = new HeadlessChromium(new ChromeDriver(service, options), service, tag);
        } catch (RuntimeException e) {
            service.stop();
            Chaos.reap(tag);
            throw new AssertionError("headless Chromium did not start (" + CHROMIUM + " through " + CHROMEDRIVER
                    + "); see " + workDir.resolve("chromedriver.log") + ": " + e.getMessage(), e);
        }
        if (browser.processes() < 2) {
            browser.close();
            throw new AssertionError("Chromium's processes do not carry CHAOS_TAG=" + tag + " from chromedriver's environment,"
                    + " so the test could not prove they are gone after it");
        }
        return browser;
    }

    static void requireInstalled() {
        for (Path p : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError("the dashboard test drives a real browser and needs " + p + ", which is missing;"
                        + " install Debian's Chromium with `apt-get install -y chromium chromium-driver` (.ci/run does)");
            }
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /**
     * Errors the page's scripts raised since the last call (uncaught exceptions, console.error);
     * failed requests are left out: the page reports those itself, and some tests cause them.
     */
    List<String> scriptErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("Failed to load resource") && !m.contains("net::ERR_"))
                .toList();
    }

    /** Live processes of the browser and its driver. */
    int processes() {
        return Chaos.survivors(tag);
    }

    /** Quits the browser and its driver; fails if any of their processes is still alive after that. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
        try {
            await("Chromium and chromedriver gone").atMost(Duration.ofSeconds(20)).until(() -> processes() == 0);
        } finally {
            int left = processes();
            Chaos.reap(tag);
            assertThat(left).as("Chromium/chromedriver processes (CHAOS_TAG=%s) alive after quit", tag).isZero();
        }
    }
}
