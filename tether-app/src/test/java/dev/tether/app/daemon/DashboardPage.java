package dev.tether.app.daemon;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as its test sees it: what a user finds on it by the ids and {@code data-}
 * attributes the page gives its parts, and waits for what the page shows (never a fixed sleep).
 */
final class DashboardPage {
    /** The bound on how stale the page may be. */
    static final Duration LIVE = Duration.ofSeconds(2);

    private final WebDriver driver;
    private final URI url;

    DashboardPage(WebDriver driver, URI url) {
        this.driver = driver;
        this.url = url;
    }

    /** Loads the page afresh (a token the tab kept stays). */
    DashboardPage open() {
        driver.get(url + "/");
        waitUntil(Duration.ofSeconds(10), d -> visible("#login") || visible("#app"), "the page shows the token form or the dashboard");
        return this;
    }

    /** Opens the page and, when it asks for the token, gives it. */
    DashboardPage openSignedIn(String token) {
        open();
        if (visible("#login")) {
            enterToken(token);
        }
        waitUntil(Duration.ofSeconds(10), d -> visible("#app"), "the dashboard after the token was given");
        return this;
    }

    void enterToken(String token) {
        WebElement input = find("#token-input");
        input.clear();
        input.sendKeys(token);
        find("#token-submit").click();
    }

    /** Forgets the tab's token and loads the page again: it asks for a token. */
    void forgetToken() {
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        open();
    }

    /** Replaces the token the tab keeps, as if the daemon's token had changed since it was given. */
    void replaceStoredToken(String token) {
        ((JavascriptExecutor) driver).executeScript("sessionStorage.setItem('tether.token', arguments[0])", token);
    }

    static String row(String sessionId) {
        return "tr[data-session-id='" + sessionId + "']";
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    boolean present(String css) {
        return !findAll(css).isEmpty();
    }

    boolean visible(String css) {
        try {
            return find(css).isDisplayed();
        } catch (NoSuchElementException | StaleElementReferenceException e) {
            return false;
        }
    }

    /** The text of an element, or null while it is not there. */
    String text(String css) {
        try {
            return find(css).getText();
        } catch (NoSuchElementException | StaleElementReferenceException e) {
            return null;
        }
    }

    /** Clicks an element once it is there and enabled (rows are updated in place, so a reference may go stale: retried). */
    void click(String css) {
        waitUntil(Duration.ofSeconds(10), d -> {
            WebElement e = find(css);
            if (!e.isDisplayed() || !e.isEnabled()) {
                return false;
            }
            e.click();
            return true;
        }, "clicked " + css);
    }

    <T> T waitUntil(Duration atMost, Function<WebDriver, T> condition, String what) {
        return new WebDriverWait(driver, atMost, Duration.ofMillis(50))
                .ignoring(NoSuchElementException.class)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> what + " within " + atMost.toMillis() + " ms")
                .until(condition);
    }
}
