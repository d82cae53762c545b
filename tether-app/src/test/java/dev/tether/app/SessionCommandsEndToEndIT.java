package dev.tether.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testkit.Chaos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon and the session commands as a user runs them, through {@code ./tether}: {@code serve}
 * in one process, then {@code start}, {@code ps}, {@code logs} and {@code stop} from others; a
 * SIGTERM to the daemon stops what is still running, each with its grace, and nothing survives.
 */
class SessionCommandsEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STARTED = Pattern.compile("^started (\\w+) \\((.+)\\): pid (\\d+)", Pattern.MULTILINE);
    private static final Duration COMMAND = Duration.ofSeconds(120);

    @TempDir
    Path tmp;
    private final List<String> tags = new ArrayList<>();

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

    private static Launcher.Result tether(Path home, List<String> args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(args);
        return Launcher.run(COMMAND, all.toArray(String[]::new));
    }

    private static String start(Path home, List<String> flags, List<String> command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("start"));
        args.addAll(flags);
        args.add("--");
        args.addAll(command);
        Launcher.Result r = tether(home, args);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Matcher m = STARTED.matcher(r.stdout());
        assertThat(m.find()).as(r.stdout()).isTrue();
        return m.group(1);
    }

    @Test
    void startPsLogsStopThenSigtermToTheDaemon() throws Exception {
        Path home = tmp.resolve("home");
        String tree = tag("tree");
        String talker = tag("talker");
        String graceful = tag("graceful");
        Path marker = tmp.resolve("graceful-marker");
        try (ServedDaemon daemon = ServedDaemon.start(home, Map.of("TETHER_GRACE", "4s"))) {
            assertThat(daemon.printedPid()).isEqualTo(daemon.pid());

            String treeId = start(home, List.of("--name", "tree"), Chaos.command("deep-tree", tree));
            String talkerId = start(home, List.of("--env", "CHAOS_TAG=" + talker),
                    List.of("sh", "-c", "echo hello from $CHAOS_TAG; exec sleep 300"));
            start(home, List.of(), Chaos.command("slow-graceful", graceful, marker, 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> Chaos.survivors(tree) == 121 && Chaos.survivors(graceful) >= 2);

            Launcher.Result ps = tether(home, List.of("ps", "--json"));
            assertThat(ps.exitCode()).as(ps.stderr()).isZero();
            JsonNode rows = JSON.readTree(ps.stdout());
            assertThat(rows).hasSize(3);
            JsonNode treeRow = null;
            for (JsonNode r : rows) {
                assertThat(r.get("state").asText()).isEqualTo("RUNNING");
                if (r.get("id").asText().equals(treeId)) {
                    treeRow = r;
                }
            }
            assertThat(treeRow).as("the tree in tether ps").isNotNull();
            assertThat(treeRow.get("name").asText()).isEqualTo("tree");
            assertThat(treeRow.get("processes").asInt()).as("counted when the daemon last looked (up to 1s ago)").isBetween(1, 121);

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> tether(home, List.of("logs", talkerId)).stdout().equals("hello from " + talker + "\n"));

            Launcher.Result stop = tether(home, List.of("stop", treeId));
            assertThat(stop.exitCode()).as(stop.stderr()).isZero();
            assertThat(stop.stdout()).contains(treeId).contains("STOPPED").contains("121");
            assertThat(Chaos.survivors(tree)).as("the tree, right when tether stop returned").isZero();

            assertThat(daemon.terminate(Duration.ofSeconds(60))).as("the daemon exited after SIGTERM:\n" + daemon.stderr())
                    .isGreaterThanOrEqualTo(0);
            assertThat(Chaos.survivors(talker)).as("the talker, stopped by the daemon's shutdown").isZero();
            assertThat(Chaos.survivors(graceful)).isZero();
            assertThat(marker).as("slow-graceful got its grace at the daemon's shutdown").exists();
            assertThat(home.resolve("tether.pid")).doesNotExist();
        }

        Launcher.Result after = tether(home, List.of("ps", "--all", "--json"));
        assertThat(after.exitCode()).as(after.stderr()).isZero();
        JsonNode rows = JSON.readTree(after.stdout());
        assertThat(rows).hasSize(3).allSatisfy(r -> assertThat(r.get("state").asText()).isEqualTo("STOPPED"));
        Launcher.Result noDaemon = tether(home, List.of("stop", "--all"));
        assertThat(noDaemon.exitCode()).isEqualTo(ExitCodes.DAEMON_NOT_RUNNING);
        assertThat(noDaemon.stderr()).contains("tether serve");
        assertThat(Files.exists(home.resolve("registry.db"))).isTrue();
    }
}
