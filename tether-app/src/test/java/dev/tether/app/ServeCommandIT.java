package dev.tether.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.PidFile;
import dev.tether.ProcessId;
import dev.tether.client.TetherClient;
import dev.tether.client.api.SessionRequest;
import dev.tether.testkit.Chaos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tether serve} when a live daemon already owns the home: without a terminal it says so and
 * exits 6, leaving the first one alone; on a real terminal (tmux) it asks, and only a "y" stops the
 * first daemon — whose sessions get their grace — before the new one starts.
 */
class ServeCommandIT {
    private static final Map<String, String> ENV = Map.of("TETHER_GRACE", "5s");

    @TempDir
    Path tmp;
    private final String tag = Chaos.newTag("serve");

    @AfterEach
    void nothingSurvives() {
        int left = Chaos.survivors(tag);
        Chaos.reap(tag);
        assertThat(left).isZero();
    }

    @Test
    void aSecondServeWithoutATerminalExits6AndTheFirstKeepsRunning() throws Exception {
        Path home = tmp.resolve("home");
        try (ServedDaemon first = ServedDaemon.start(home, ENV)) {
            Launcher.Result second = Launcher.run(Duration.ofSeconds(60), ENV, "--home", home.toString(), "serve", "--port", "0");
            assertThat(second.exitCode()).isEqualTo(ExitCodes.ALREADY_RUNNING);
            assertThat(second.stderr()).contains("Found a running Tether daemon (pid " + first.pid() + ", started ")
                    .contains("Not starting another on " + home).contains("kill -TERM " + first.pid());
            assertThat(second.stdout()).doesNotContain("[y/N]").doesNotContain("listening on");
            assertThat(first.isAlive()).isTrue();
            assertThat(TetherClient.forHome(home).alive()).as("the first daemon still answers").isTrue();
            assertThat(first.terminate(Duration.ofSeconds(60))).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void askedOnARealTerminal() throws Exception {
        Assumptions.assumeTrue(Tmux.available(), "tmux is not installed");
        Path home = tmp.resolve("home");
        Path marker = tmp.resolve("graceful-marker");
        String command = "env -u TMUX JAVA_HOME=" + System.getProperty("java.home") + " TETHER_GRACE=5s " + Launcher.script()
                + " --home " + home + " serve --port 0";
        try (ServedDaemon first = ServedDaemon.start(home, ENV)) {
            TetherClient.forHome(home).start(SessionRequest.of(Chaos.command("slow-graceful", tag, marker, 1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> Chaos.survivors(tag) >= 2);

            try (Tmux no = new Tmux(command)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> no.screen().contains("[y/N]"));
                assertThat(no.screen()).contains("Found a running Tether daemon (pid " + first.pid() + ", started ")
                        .contains("Stop it?");
                no.type("n");
                await().atMost(Duration.ofSeconds(30)).until(() -> no.exitStatus() >= 0);
                assertThat(no.exitStatus()).isEqualTo(ExitCodes.ALREADY_RUNNING);
                assertThat(no.screen()).contains("Not starting another");
            }
            assertThat(first.isAlive()).as("declined: the first daemon runs on").isTrue();
            assertThat(Chaos.survivors(tag)).as("and so does its session").isGreaterThanOrEqualTo(2);

            try (Tmux yes = new Tmux(command)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> yes.screen().contains("[y/N]"));
                yes.type("y");
                await().atMost(Duration.ofSeconds(60)).until(() -> yes.screen().contains("tether daemon listening on"));
                assertThat(yes.screen()).contains("stopping pid " + first.pid());
                assertThat(first.awaitExit(Duration.ofSeconds(10))).as("the first daemon exited").isGreaterThanOrEqualTo(0);
                assertThat(marker).as("its session had its grace").exists();
                assertThat(Chaos.survivors(tag)).isZero();

                PidFile.Holder second = PidFile.peek(home.resolve("tether.pid")).orElseThrow();
                assertThat(second.pid()).isNotEqualTo(first.pid());
                assertThat(TetherClient.forHome(home).alive()).as("the new daemon answers").isTrue();
                terminate(second.id());
                await().atMost(Duration.ofSeconds(60)).until(() -> yes.exitStatus() >= 0);
                assertThat(yes.exitStatus()).as(yes.screen()).isIn(0, 128 + 15);
            }
        }
    }

    /** SIGTERM to the daemon the PID file names, by identity (the JDK re-checks its start time), and waits for it to go. */
    private static void terminate(ProcessId daemon) {
        ProcessHandle.of(daemon.pid()).filter(p -> ProcessId.of(p.pid()).filter(daemon::equals).isPresent())
                .ifPresent(ProcessHandle::destroy);
        await().atMost(Duration.ofSeconds(60)).until(() -> !daemon.isAlive());
    }
}
