package dev.tether.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.Ports;
import dev.tether.testkit.Chaos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tether cleanup --port N} with an unrelated (not Tether's) process holding N: it shows the
 * holder and asks; without confirmation it stops nothing; confirmed on a real terminal, it stops it.
 */
class CleanupPortIT {
    @TempDir
    Path tmp;
    private final String tag = Chaos.newTag("holder");
    private Process holder;
    private int port;

    @BeforeEach
    void startUnrelatedHolder() throws Exception {
        port = Chaos.freePort();
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "http.server", "--bind", "127.0.0.1", String.valueOf(port))
                .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("CHAOS_TAG", tag);
        pb.environment().remove("TETHER_SESSION");
        pb.environment().remove("TETHER_INSTANCE");
        holder = pb.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> !Ports.owners(port).isEmpty());
        assertThat(Ports.owners(port).getFirst().session()).as("not Tether's").isEmpty();
    }

    @AfterEach
    void nothingSurvives() throws InterruptedException {
        holder.destroyForcibly(); // our own Process, by identity
        // SIGKILL is asynchronous: counted at once, the holder itself was seen once as a survivor.
        assertThat(holder.waitFor(10, TimeUnit.SECONDS)).as("the holder ends after SIGKILL").isTrue();
        int left = Chaos.survivors(tag);
        Chaos.reap(tag);
        assertThat(left).isZero();
    }

    @Test
    void withoutConfirmationNothingIsStopped() throws Exception {
        Launcher.Result r = Launcher.run(Duration.ofSeconds(60), "--home", tmp.resolve("home").toString(),
                "cleanup", "--port", String.valueOf(port));
        assertThat(r.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.stdout()).contains("port holder").contains(String.valueOf(holder.pid())).contains("http.server");
        assertThat(holder.isAlive()).isTrue();
        Launcher.Result dry = Launcher.run(Duration.ofSeconds(60), "--home", tmp.resolve("home").toString(),
                "cleanup", "--port", String.valueOf(port), "--dry-run");
        assertThat(dry.exitCode()).isZero();
        assertThat(holder.isAlive()).isTrue();
    }

    @Test
    void askedOnARealTerminal() throws Exception {
        Assumptions.assumeTrue(Tmux.available(), "tmux is not installed");
        String command = "env -u TMUX JAVA_HOME=" + System.getProperty("java.home") + " " + Launcher.script()
                + " --home " + tmp.resolve("home") + " cleanup --port " + port;
        try (Tmux no = new Tmux(command)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> no.screen().contains("[y/N]"));
            assertThat(no.screen()).contains("http.server").contains(String.valueOf(holder.pid()));
            no.type("n");
            await().atMost(Duration.ofSeconds(30)).until(() -> no.exitStatus() >= 0);
            assertThat(no.exitStatus()).isEqualTo(ExitCodes.REFUSED);
            assertThat(no.screen()).contains("nothing was changed");
            assertThat(holder.isAlive()).as("declined: the holder lives").isTrue();
        }
        try (Tmux yes = new Tmux(command)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> yes.screen().contains("[y/N]"));
            yes.type("y");
            await().atMost(Duration.ofSeconds(30)).until(() -> yes.exitStatus() >= 0);
            assertThat(yes.exitStatus()).as(yes.screen()).isZero();
            assertThat(yes.screen()).contains("port " + port + " is free now");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !holder.isAlive());
        assertThat(Ports.isFree(port) || Ports.owners(port).isEmpty()).isTrue();
    }
}
