package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.linux.LinuxPlatform;
import dev.tether.registry.Registry;
import dev.tether.registry.SessionFilter;
import dev.tether.testkit.Chaos;
import dev.tether.testkit.ChildJvm;
import dev.tether.testkit.CrashDriver;
import dev.tether.testkit.Leaks;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A supervisor in a child JVM starts every chaos scenario, then ends: normal close, an uncaught
 * exception, SIGINT, SIGTERM, SIGHUP, SIGKILL. Whatever the ending, nothing survives, no zombie is
 * left, and the port is free: within grace + 1 s, and within 1 s of a SIGKILL (the guardian).
 */
class CrashMatrixIT {
    private static final long GRACE_SECONDS = 3;
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    private String prefix;
    private String instance;

    @AfterEach
    void nothingSurvives() {
        for (String s : CrashDriver.SCENARIOS) {
            String tag = prefix + "-" + s;
            int left = Chaos.survivors(tag);
            Chaos.reap(tag);
            assertThat(left).as("%s left after the test", tag).isZero();
        }
        if (instance != null) {
            assertThat(Leaks.ofInstance(instance)).isEmpty();
            assertThat(Leaks.withEnv("TETHER_GUARDIAN", instance)).as("guardian exited").isEmpty();
        }
    }

    @ParameterizedTest(name = "ending: {0}")
    @ValueSource(strings = {"close", "throw", "INT", "TERM", "HUP", "KILL"})
    void nothingSurvivesTheSupervisorsEnd(String ending) throws Exception {
        prefix = Chaos.newTag("crash-" + ending);
        Path home = tmp.resolve("home");
        Path marker = tmp.resolve("graceful");
        String mode = ending.equals("close") || ending.equals("throw") ? ending : "wait";
        try (ChildJvm child = ChildJvm.start(CrashDriver.class, Map.of("TETHER_HOME", home.toString()),
                List.of(mode, prefix, marker.toString(), String.valueOf(GRACE_SECONDS)))) {
            String line = child.awaitLine("started", SETTLE);
            String[] started = line.split(" ");
            instance = started[1];
            long guardianPid = Long.parseLong(started[2]);
            int port = Integer.parseInt(started[3]);
            List<Path> dirs = CrashDriver.dirs(line).stream().map(Path::of).toList();
            assertThat(dirs).hasSize(CrashDriver.SCENARIOS.size()).allSatisfy(d -> assertThat(d).isDirectory());
            assertThat(guardianPid).as("a guardian runs").isPositive();
            if (LinuxPlatform.cgroupsAvailable()) {
                assertThat(LinuxPlatform.heldSpawnDirectories(child.pid())).as("its held-spawn gates").hasSize(1);
            }
            await().atMost(SETTLE).until(() -> Chaos.survivors(prefix + "-deep-tree") == 121
                    && Chaos.survivors(prefix + "-double-fork-setsid") == 2
                    && Chaos.survivors(prefix + "-term-ignorer") == 2
                    && Chaos.portHeld(port)
                    && Chaos.zombies(prefix + "-zombie-maker") == 10
                    && Chaos.survivors(prefix + "-slow-graceful") >= 2
                    && Chaos.survivors(prefix + "-fork-bomb-lite") >= 20);

            long t0 = System.nanoTime();
            switch (ending) {
                case "close", "throw" -> {
                    OutputStream in = child.process().getOutputStream();
                    in.write("go\n".getBytes(StandardCharsets.UTF_8));
                    in.flush();
                }
                default -> child.signal(ending);
            }
            Duration limit = ending.equals("KILL") ? Duration.ofSeconds(1) : Duration.ofSeconds(GRACE_SECONDS + 1);
            await().atMost(limit.plusSeconds(5)).until(() -> allGone(port));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(took).as("time until nothing was left after %s", ending).isLessThan(limit);
            if (!ending.equals("KILL")) {
                assertThat(marker).as("slow-graceful got its grace").exists();
            }
            child.waitFor(Duration.ofSeconds(10));
            // Its held-spawn gates go too: at exit by its shutdown hook, after a SIGKILL by its guardian.
            await().atMost(Duration.ofSeconds(6)).until(() -> LinuxPlatform.heldSpawnDirectories(child.pid()).isEmpty());
            if (!ending.equals("KILL")) {
                assertThat(dirs).as("session directories removed by the stop").allSatisfy(d -> assertThat(d).doesNotExist());
            }
            // A new supervisor on the home reconciles: no row claims a live session, no lease is
            // left, no session directory remains.
            try (Supervisor after = Supervisor.builder().home(home).guardian(false).shutdownHook(false).open()) {
                Registry registry = after.registry().orElseThrow();
                assertThat(registry.liveSessions()).as("rows still claiming a live session").isEmpty();
                assertThat(registry.leasedPorts()).isEmpty();
                assertThat(registry.instance(instance).orElseThrow().endedAt()).isPresent();
                assertThat(dirs).allSatisfy(d -> assertThat(d).doesNotExist());
                if (ending.equals("KILL")) {
                    assertThat(registry.sessions(SessionFilter.all().ofInstance(instance)))
                            .hasSize(CrashDriver.SCENARIOS.size())
                            .allSatisfy(r -> assertThat(r.state()).isEqualTo(SessionState.LOST));
                }
            }
        }
    }

    private boolean allGone(int port) {
        for (String s : CrashDriver.SCENARIOS) {
            if (Chaos.survivors(prefix + "-" + s) != 0 || Chaos.zombies(prefix + "-" + s) != 0) {
                return false;
            }
        }
        return Chaos.portFree(port);
    }
}
