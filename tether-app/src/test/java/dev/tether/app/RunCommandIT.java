package dev.tether.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.testkit.Chaos;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ./tether run} end to end: every chaos scenario under it, stopped by SIGTERM, SIGINT and
 * SIGHUP sent to tether; the command's status passed through; leftovers stopped when the command
 * exits.
 */
class RunCommandIT {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private final List<String> tags = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void nothingSurvives() {
        for (String t : tags) {
            int left = Chaos.survivors(t);
            Chaos.reap(t);
            assertThat(left).as("processes tagged %s left after the test", t).isZero();
        }
    }

    private String tag(String what) {
        String t = Chaos.newTag(what);
        tags.add(t);
        return t;
    }

    static Stream<Arguments> scenariosAndSignals() {
        List<Arguments> out = new ArrayList<>();
        for (String scenario : List.of("deep-tree", "double-fork-setsid", "term-ignorer", "port-holder",
                "zombie-maker", "slow-graceful", "fork-bomb-lite")) {
            for (String signal : List.of("TERM", "INT", "HUP")) {
                out.add(Arguments.of(scenario, signal));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} stopped by SIG{1}")
    @MethodSource("scenariosAndSignals")
    void signalToTetherStopsTheWholeTree(String scenario, String signal) throws Exception {
        String tag = tag(scenario.substring(0, 4) + signal);
        int port = Chaos.freePort();
        Path marker = tmp.resolve("graceful-" + tag);
        List<String> args = new ArrayList<>(List.of("run", "--grace", "4s", "--"));
        args.addAll(switch (scenario) {
            case "port-holder" -> Chaos.command(scenario, tag, port);
            case "slow-graceful" -> Chaos.command(scenario, tag, marker);
            default -> Chaos.command(scenario, tag);
        });
        Process tether = Launcher.builder(args).redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD).start();
        try {
            await().atMost(SETTLE).until(() -> switch (scenario) {
                case "deep-tree" -> Chaos.survivors(tag) == 121;
                case "double-fork-setsid", "term-ignorer" -> Chaos.survivors(tag) == 2;
                case "port-holder" -> Chaos.portHeld(port);
                case "zombie-maker" -> Chaos.zombies(tag) == 10;
                default -> Chaos.survivors(tag) >= 2;
            });
            long t0 = System.nanoTime();
            Launcher.signal(tether, signal);
            assertThat(tether.waitFor(20, TimeUnit.SECONDS)).as("tether run exited").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(Chaos.survivors(tag)).as("survivors after tether run returned").isZero();
            assertThat(Chaos.zombies(tag)).isZero();
            switch (scenario) {
                case "port-holder" -> assertThat(Chaos.portFree(port)).isTrue();
                case "slow-graceful" -> {
                    assertThat(marker).as("grace period honoured").exists();
                    assertThat(tether.exitValue()).isZero();
                }
                case "term-ignorer" -> assertThat(took).isLessThan(Duration.ofSeconds(4 + 2));
                case "deep-tree" -> assertThat(tether.exitValue()).isEqualTo(128 + 15);
                default -> { }
            }
        } finally {
            tether.destroyForcibly();
        }
    }

    @Test
    void graceComesFromTheSettingsUnlessTheFlagSaysOtherwise() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(home.resolve("config.properties"), "grace=1s\n");
        Duration fromFile = timeToStopATermIgnorer(List.of("--home", home.toString(), "run"), Map.of());
        assertThat(fromFile).as("grace=1s in the home's config.properties").isBetween(Duration.ofSeconds(1), Duration.ofSeconds(6));

        Duration fromFlag = timeToStopATermIgnorer(List.of("--home", home.toString(), "run", "--grace", "1s"),
                Map.of("TETHER_GRACE", "60s"));
        assertThat(fromFlag).as("--grace 1s over TETHER_GRACE=60s").isBetween(Duration.ofSeconds(1), Duration.ofSeconds(6));
    }

    /** From SIGTERM to tether run's exit, with a TERM ignorer as its command: about the grace in force. */
    private Duration timeToStopATermIgnorer(List<String> before, Map<String, String> env) throws Exception {
        String tag = tag("grace");
        List<String> args = new ArrayList<>(before);
        args.add("--");
        args.addAll(Chaos.command("term-ignorer", tag));
        ProcessBuilder pb = Launcher.builder(args).redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD);
        pb.environment().putAll(env);
        Process tether = pb.start();
        try {
            await().atMost(SETTLE).until(() -> Chaos.survivors(tag) == 2);
            long t0 = System.nanoTime();
            Launcher.signal(tether, "TERM");
            assertThat(tether.waitFor(30, TimeUnit.SECONDS)).as("tether run exited").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(Chaos.survivors(tag)).isZero();
            return took;
        } finally {
            tether.destroyForcibly();
        }
    }

    @Test
    void daemonLeftBehindByAnExitedCommandIsGoneWhenRunReturns() throws Exception {
        String tag = tag("left");
        Launcher.Result r = Launcher.run(Duration.ofSeconds(30), "run", "--", "env", "CHAOS_TAG=" + tag, "sh", "-c",
                "( setsid sleep 300 </dev/null >/dev/null 2>&1 & ); echo started; exit 0");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("started");
        assertThat(Chaos.survivors(tag)).as("the setsid daemon, right when tether run returned").isZero();
    }

    @Test
    void exitStatusIsPassedThrough() throws Exception {
        assertThat(Launcher.run(Duration.ofSeconds(30), "run", "--", "sh", "-c", "exit 7").exitCode()).isEqualTo(7);
        assertThat(Launcher.run(Duration.ofSeconds(30), "run", "sh", "-c", "kill -TERM $$").exitCode()).isEqualTo(143);
        Launcher.Result missing = Launcher.run(Duration.ofSeconds(30), "run", "--", "tether-no-such-command");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.RUN_NOT_FOUND);
        assertThat(missing.stderr()).contains("tether-no-such-command").contains("not found on PATH");
        Path notExecutable = Files.writeString(tmp.resolve("x.sh"), "#!/bin/sh\n");
        assertThat(Launcher.run(Duration.ofSeconds(30), "run", "--", notExecutable.toString()).exitCode())
                .isEqualTo(ExitCodes.RUN_CANNOT_EXECUTE);
    }

    @Test
    void stdioIsPassedThrough() throws Exception {
        Launcher.Result r = Launcher.run(Duration.ofSeconds(30), "run", "--", "sh", "-c", "echo out; echo err >&2");
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
    }

    @Test
    void helpAndVersion() throws IOException, InterruptedException {
        Launcher.Result help = Launcher.run(Duration.ofSeconds(30), "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("Usage: tether").contains("run").contains("Exit codes");
        Launcher.Result runHelp = Launcher.run(Duration.ofSeconds(30), "run", "--help");
        assertThat(runHelp.exitCode()).isZero();
        assertThat(runHelp.stdout()).contains("--grace").contains("Examples");
        Launcher.Result version = Launcher.run(Duration.ofSeconds(30), "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).startsWith("tether ");
        Launcher.Result bad = Launcher.run(Duration.ofSeconds(30), "run", "--grace", "soon", "--", "true");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.stderr()).contains("'soon' is not a duration");
    }
}
