package dev.tether.app.daemon;

import static dev.tether.app.daemon.DashboardPage.LIVE;
import static dev.tether.app.daemon.DashboardPage.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.client.api.SessionRequest;
import dev.tether.client.api.SessionState;
import dev.tether.client.api.SessionView;
import dev.tether.testkit.Chaos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * The web dashboard in a real headless Chromium against a real daemon: a session started through
 * the API shows up within 2 s, its tree and log can be read, its stop button stops all of it, and
 * the operator panels (health, orphan cleanup, emergency recovery) guard what they do. Every test
 * proves that nothing it started survives; the class proves the browser left nothing either.
 */
class DashboardIT {
    /** How long a stop of a small tree, and the page showing it, may take on a loaded CI machine. */
    private static final Duration STOP = Duration.ofSeconds(15);

    private static Path work;
    private static TestDaemon daemon;
    private static HeadlessChromium chromium;
    private final List<String> tags = new ArrayList<>();
    private DashboardPage page;

    @BeforeAll
    static void startDaemonAndBrowser() throws Exception {
        HeadlessChromium.requireInstalled();
        work = Files.createDirectories(Path.of("target", "dashboard-it")).toAbsolutePath();
        daemon = TestDaemon.start(Files.createTempDirectory(work, "home-"));
        chromium = HeadlessChromium.start(Files.createTempDirectory(work, "chromium-"));
    }

    @BeforeEach
    void signIn() {
        page = new DashboardPage(chromium.driver(), daemon.url()).openSignedIn(daemon.token());
    }

    @AfterEach
    void nothingSurvives() {
        assertThat(chromium.scriptErrors()).as("script errors on the page").isEmpty();
        for (SessionView s : daemon.client().sessions().sessions()) {
            daemon.client().stop(s.id(), true);
        }
        for (String tag : tags) {
            int left = Chaos.survivors(tag);
            Chaos.reap(tag);
            assertThat(left).as("processes tagged %s alive after the test", tag).isZero();
        }
        assertThat(daemon.leftovers()).as("live processes of the daemon's instance").isEmpty();
    }

    @AfterAll
    static void closeBrowserAndDaemon() {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (daemon != null) {
                daemon.close();
                assertThat(daemon.leftovers()).as("live processes of the daemon's instance after it closed").isEmpty();
            }
        }
    }

    @Test
    void aSessionAppearsLiveAndItsStopButtonLeavesNothing() {
        String tag = tag("deep-tree");
        SessionView started = daemon.client().start(SessionRequest.of(Chaos.command("deep-tree", tag)).withName("deep-tree"));
        String id = started.id();

        page.waitUntil(LIVE, d -> page.present(row(id)), "session " + id + " listed");
        assertThat(page.find(row(id)).getDomAttribute("data-state")).isEqualTo("RUNNING");
        assertThat(page.text(row(id) + " td[data-field=name] [data-action=select]")).isEqualTo("deep-tree");
        assertThat(page.text(row(id) + " td[data-field=pid]")).isEqualTo(Long.toString(started.pid()));

        page.click(row(id) + " [data-action=select]");
        page.waitUntil(Duration.ofSeconds(10), d -> "121".equals(page.text("#tree-count")), "the whole tree (121 processes) shown");
        assertThat(page.present("#process-tree > li[data-pid='" + started.pid() + "']")).as("the main process is the tree's root").isTrue();
        assertThat(page.findAll("#process-tree li")).hasSize(121);

        page.click(row(id) + " button[data-action=stop]");
        page.waitUntil(STOP, d -> "STOPPED".equals(page.find(row(id)).getDomAttribute("data-state")), "session shown stopped");
        page.waitUntil(LIVE, d -> page.text("#notices").contains("Stopped deep-tree (" + id + ")"), "the stop's result");
        assertThat(page.present("#live-sessions " + row(id))).as("still in the live table").isFalse();
        assertThat(page.present("#ended-sessions " + row(id) + "[data-state=STOPPED]")).isTrue();
        assertThat(daemon.client().session(id).state()).isEqualTo(SessionState.STOPPED);
        assertThat(Chaos.survivors(tag)).as("deep-tree processes alive after the stop").isZero();
        assertThat(daemon.leftovers()).isEmpty();
        page.waitUntil(LIVE, d -> page.present("#session-detail[data-state=STOPPED]"), "the detail shows it stopped");
        assertThat(page.text("#tree-empty")).isEqualTo("No live processes.");
    }

    @Test
    void theLogAndNamesAreTextNeverMarkupAndPollsUpdateInPlace() {
        String tag = tag("log");
        String line = "line <b id=\"injected\">" + tag + "</b> & done";
        SessionView s = daemon.client().start(SessionRequest.of("/bin/sh", "-c", "printf '%s\\n' \"$LINE\"; exec sleep 300")
                .withEnv("LINE", line).withEnv("CHAOS_TAG", tag).withName("<i>log</i>"));

        page.waitUntil(LIVE, d -> page.present(row(s.id())), "session listed");
        page.click(row(s.id()) + " [data-action=select]");
        page.waitUntil(Duration.ofSeconds(10), d -> line.equals(page.text("#log-tail")), "the log line in the tail");
        assertThat(page.text(row(s.id()) + " [data-action=select]")).isEqualTo("<i>log</i>");
        assertThat(page.findAll("#injected, #log-tail b, td i")).as("elements made from session output").isEmpty();

        // Polls update in place: what the operator is reading (or selecting to copy) stays the same element.
        WebElement command = page.find("#detail-facts dd[data-fact=command]");
        WebElement listed = page.find(row(s.id()));
        String uptime = page.text("#detail-facts dd[data-fact=uptime]");
        page.waitUntil(Duration.ofSeconds(5), d -> !uptime.equals(page.text("#detail-facts dd[data-fact=uptime]")), "a later poll");
        assertThat(command.getText()).as("the command, still the same element").startsWith("/bin/sh -c");
        assertThat(listed.getDomAttribute("data-state")).as("the row, still the same element").isEqualTo("RUNNING");
    }

    @Test
    void theHealthPanelShowsTheContainmentLevel() {
        String level = daemon.client().health().containment();
        page.waitUntil(LIVE, d -> level.equals(page.text("#health-containment")), "containment " + level + " in the top bar");
        assertThat(page.text("#health-facts dd[data-fact=containment]")).startsWith(level);
        assertThat(page.find("#health-status").getDomAttribute("data-status")).isEqualTo("ok");
        assertThat(page.text("#health-facts dd[data-fact=instance]")).isEqualTo(daemon.instance());
    }

    /**
     * The confirmation is not clicked: a real cleanup reaches every dead supervisor's processes of
     * this user, and other builds on the machine leave some on purpose.
     */
    @Test
    void orphanCleanupShowsADryRunAndWaitsForConfirmation() {
        String tag = tag("live");
        SessionView live = daemon.client().start(SessionRequest.of(Chaos.command("term-ignorer", tag)));

        page.click("[data-action=orphans-preview]");
        page.waitUntil(Duration.ofSeconds(10), d -> page.visible("#orphans-preview"), "the dry-run preview");
        assertThat(page.find("#orphans-preview").getDomAttribute("data-dry-run")).isEqualTo("true");
        assertThat(page.text("#orphans-summary")).startsWith("Dry run").contains("would be stopped")
                .contains("1 live session of this daemon would not be touched");
        WebElement confirm = page.find("[data-action=orphans-confirm]");
        assertThat(confirm.isDisplayed() && confirm.isEnabled()).as("a confirm step is offered").isTrue();
        assertThat(page.visible("#orphans-result")).as("a result before any confirmation").isFalse();

        page.click("[data-action=orphans-cancel]");
        page.waitUntil(LIVE, d -> !page.visible("#orphans-preview"), "the preview dismissed");
        assertThat(page.visible("#orphans-result")).isFalse();
        assertThat(daemon.client().session(live.id()).state()).isEqualTo(SessionState.RUNNING);
    }

    /** The button is never clicked: emergency recovery stops every marked process of this user, other builds' too. */
    @Test
    void emergencyRecoveryStaysDisabledUntilTheWordIsTyped() {
        WebElement word = page.find("#emergency-word");
        WebElement button = page.find("[data-action=emergency]");
        assertThat(button.isEnabled()).as("before anything is typed").isFalse();
        for (String wrong : List.of("EMERG", "emergency", "EMERGENCY!")) {
            word.clear();
            word.sendKeys(wrong);
            assertThat(button.isEnabled()).as("after typing '%s'", wrong).isFalse();
        }
        word.clear();
        word.sendKeys("EMERGENCY");
        assertThat(button.isEnabled()).as("after typing EMERGENCY").isTrue();
        word.clear();
        word.sendKeys("x");
        assertThat(button.isEnabled()).as("after the word was changed").isFalse();
    }

    @Test
    void aWrongOrChangedTokenIsAskedForAgain() {
        page.forgetToken();
        assertThat(page.visible("#login")).as("token form without a token").isTrue();
        page.enterToken("not-the-token");
        page.waitUntil(Duration.ofSeconds(10), d -> page.visible("#token-error"), "the refusal");
        assertThat(page.text("#token-error")).contains("wrong token");
        assertThat(page.visible("#app")).isFalse();

        page.enterToken(daemon.token());
        page.waitUntil(Duration.ofSeconds(10), d -> page.visible("#app"), "the dashboard after the right token");

        page.replaceStoredToken("changed-since");
        page.waitUntil(LIVE, d -> page.visible("#login"), "the token form after a 401");
        assertThat(page.text("#token-error")).contains("refused the token");
        page.enterToken(daemon.token());
        page.waitUntil(Duration.ofSeconds(10), d -> page.visible("#app"), "the dashboard again");
    }

    @Test
    void aDaemonThatStopsAnsweringIsShownAsAnError() throws Exception {
        TestDaemon other = TestDaemon.start(Files.createTempDirectory(work, "home-"));
        DashboardPage otherPage;
        try {
            otherPage = new DashboardPage(chromium.driver(), other.url()).openSignedIn(other.token());
            otherPage.waitUntil(LIVE, d -> "true".equals(otherPage.find("#poll-status").getDomAttribute("data-connected")), "connected");
        } finally {
            other.close();
        }
        otherPage.waitUntil(LIVE, d -> otherPage.visible("#errors .error[data-code=unreachable]"), "the lost connection reported");
        assertThat(otherPage.text("#errors .error[data-code=unreachable]")).contains("cannot reach the daemon at " + other.url());
        assertThat(otherPage.find("#poll-status").getDomAttribute("data-connected")).isEqualTo("false");
        assertThat(other.leftovers()).isEmpty();
    }

    private String tag(String what) {
        String t = Chaos.newTag("dashboard-" + what);
        tags.add(t);
        return t;
    }
}
