package dev.tether.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.SessionState;
import dev.tether.registry.Registry;
import dev.tether.registry.SessionFilter;
import dev.tether.registry.TetherHome;
import dev.tether.testkit.Chaos;
import dev.tether.testkit.ChildJvm;
import dev.tether.testkit.CrashDriver;
import dev.tether.testkit.Leaks;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supervisor and its guardian SIGKILLed together leave every chaos scenario running; {@code tether
 * cleanup --dry-run} lists them and changes nothing, {@code tether cleanup} without a terminal
 * refuses without {@code --yes}, and {@code tether cleanup --yes} leaves nothing and closes the rows.
 */
class CleanupIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private String prefix;

    @AfterEach
    void nothingSurvives() {
        for (String s : CrashDriver.SCENARIOS) {
            String tag = prefix + "-" + s;
            int left = Chaos.survivors(tag);
            Chaos.reap(tag);
            assertThat(left).as("%s left", tag).isZero();
        }
    }

    @Test
    void cleanupAfterSupervisorAndGuardianWereKilled() throws Exception {
        prefix = Chaos.newTag("cleanup");
        Path home = tmp.resolve("home");
        String instance;
        int port;
        try (ChildJvm child = ChildJvm.start(CrashDriver.class, Map.of("TETHER_HOME", home.toString()),
                List.of("wait", prefix, tmp.resolve("graceful").toString(), "2"))) {
            String[] started = child.awaitLine("started", Duration.ofSeconds(30)).split(" ");
            instance = started[1];
            port = Integer.parseInt(started[3]);
            await().atMost(Duration.ofSeconds(30)).until(() -> Chaos.survivors(prefix + "-deep-tree") == 121
                    && Chaos.portHeld(port) && Chaos.survivors(prefix + "-fork-bomb-lite") >= 20);
            // Both at once, JVM first: the guardian dies before it could see the pipe close.
            new ProcessBuilder("kill", "-KILL", Long.toString(child.pid()), started[2]).inheritIO().start().waitFor();
            child.waitFor(Duration.ofSeconds(10));
        }
        assertThat(Chaos.survivors(prefix + "-deep-tree")).as("left running by the double kill").isEqualTo(121);

        // Dry run: lists, changes nothing.
        Launcher.Result dry = tether(home, "cleanup", "--dry-run", "--json");
        assertThat(dry.exitCode()).isZero();
        JsonNode found = JSON.readTree(dry.stdout()).get("found");
        List<String> kinds = new ArrayList<>();
        found.forEach(n -> kinds.add(n.get("kind").asText()));
        assertThat(kinds).contains("dead_supervisor", "leftover_session", "orphan_process");
        assertThat(kinds.stream().filter("leftover_session"::equals)).hasSize(CrashDriver.SCENARIOS.size());
        assertThat(Chaos.survivors(prefix + "-deep-tree")).isEqualTo(121);
        assertThat(liveRows(home, instance)).isEqualTo(CrashDriver.SCENARIOS.size());

        // No terminal, no --yes: refused, nothing changed.
        Launcher.Result refused = tether(home, "cleanup");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.stderr()).contains("--yes");
        assertThat(Chaos.survivors(prefix + "-deep-tree")).isEqualTo(121);

        Launcher.Result done = tether(home, "cleanup", "--yes");
        assertThat(done.exitCode()).as(done.stdout() + done.stderr()).isZero();
        for (String s : CrashDriver.SCENARIOS) {
            assertThat(Chaos.survivors(prefix + "-" + s)).as(s).isZero();
            assertThat(Chaos.zombies(prefix + "-" + s)).as(s).isZero();
        }
        assertThat(Chaos.portFree(port)).isTrue();
        assertThat(Leaks.ofInstance(instance)).isEmpty();
        assertThat(liveRows(home, instance)).isZero();
        try (Registry r = Registry.open(TetherHome.registryFile(home))) {
            assertThat(r.sessions(SessionFilter.all().ofInstance(instance)))
                    .allSatisfy(s -> assertThat(s.state()).isEqualTo(SessionState.LOST));
        }
        assertThat(tether(home, "cleanup", "--dry-run").exitCode()).isEqualTo(ExitCodes.NOTHING_TO_DO);
    }

    private static long liveRows(Path home, String instance) {
        try (Registry r = Registry.open(TetherHome.registryFile(home))) {
            return r.sessions(SessionFilter.live().ofInstance(instance)).size();
        }
    }

    private static Launcher.Result tether(Path home, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        return Launcher.run(Duration.ofSeconds(120), Map.of("TETHER_GRACE", "2s"), all.toArray(String[]::new));
    }
}
