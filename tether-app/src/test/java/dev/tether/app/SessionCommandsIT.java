package dev.tether.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.app.daemon.TestDaemon;
import dev.tether.testkit.Chaos;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tether start}, {@code stop}, {@code logs} and {@code ps} through picocli's execute(),
 * against a real daemon in this JVM (grace 2s) on a temporary home, with chaos scenarios as the
 * sessions: exit codes, human and JSON output, and after each test no tagged process and nothing
 * of the daemon's instance left.
 */
class SessionCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STARTED = Pattern.compile("^started (\\w+) \\((.+)\\): pid (\\d+)(, port (\\d+))?$", Pattern.MULTILINE);

    @TempDir
    Path tmp;
    private Path home;
    private TestDaemon daemon;
    private final List<String> tags = new ArrayList<>();

    record Run(int code, String out, String err) {}

    @BeforeEach
    void startDaemon() {
        home = tmp.resolve("home");
        daemon = TestDaemon.start(home);
    }

    @AfterEach
    void nothingSurvives() {
        String instance = daemon.instance();
        daemon.close();
        assertThat(dev.tether.testkit.Leaks.ofInstance(instance)).as("processes of the daemon's instance").isEmpty();
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

    private Run tether(String... args) {
        CommandLine cl = TetherCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        int code = cl.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private Run tether(List<String> args) {
        return tether(args.toArray(String[]::new));
    }

    private static List<String> with(List<String> before, List<String> command) {
        List<String> all = new ArrayList<>(before);
        all.add("--");
        all.addAll(command);
        return all;
    }

    private static JsonNode json(Run r) throws Exception {
        assertThat(r.code()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    private JsonNode psRow(String id, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("ps", "--json"));
        args.addAll(List.of(flags));
        for (JsonNode row : json(tether(args))) {
            if (row.get("id").asText().equals(id)) {
                return row;
            }
        }
        throw new AssertionError("tether ps --json has no row " + id);
    }

    @Test
    void startPsAndStopADeepTree() throws Exception {
        String t = tag("deep");
        Run started = tether(with(List.of("start", "--name", "tree"), Chaos.command("deep-tree", t)));
        assertThat(started.code()).as(started.err()).isZero();
        Matcher m = STARTED.matcher(started.out());
        assertThat(m.find()).as(started.out()).isTrue();
        String id = m.group(1);
        assertThat(m.group(2)).isEqualTo("tree");
        await().atMost(Duration.ofSeconds(30)).until(() -> Chaos.survivors(t) == 121);

        Run ps = tether("ps");
        assertThat(ps.code()).isZero();
        assertThat(ps.out()).startsWith("ID").contains(id).contains("tree").contains("RUNNING");
        JsonNode row = psRow(id);
        assertThat(row.get("state").asText()).isEqualTo("RUNNING");
        assertThat(row.get("pid").asLong()).isEqualTo(Long.parseLong(m.group(3)));
        assertThat(row.get("instance").asText()).isEqualTo(daemon.instance());
        await("the daemon's usage figures are up to 1s old").atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode now = psRow(id);
            return now.get("processes").asInt() == 121 && now.get("rss_bytes").asLong() > 0 && now.get("cpu_seconds").isNumber();
        });

        Run stop = tether("stop", id);
        assertThat(stop.code()).as(stop.err()).isZero();
        assertThat(Chaos.survivors(t)).as("right when tether stop returned").isZero();
        assertThat(stop.out()).startsWith("ID").contains(id).contains("STOPPED");
        assertThat(stop.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow().split("\\s+")[3])
                .as("signalled").isEqualTo("121");
        assertThat(psRow(id, "--all").get("state").asText()).isEqualTo("STOPPED");
        assertThat(tether("ps").out()).contains("no live sessions");
    }

    @Test
    void startAndStopAsJson() throws Exception {
        String t = tag("port");
        JsonNode s = json(tether(with(List.of("start", "--json", "--port", "any", "--ready", "tcp"),
                List.of("sh", "-c", "exec " + Chaos.dir().resolve("port-holder") + " " + t + " $PORT"))));
        String id = s.get("id").asText();
        int port = s.get("port").asInt();
        assertThat(s.get("state").asText()).isEqualTo("RUNNING");
        assertThat(s.get("owned").asBoolean()).isTrue();
        assertThat(Chaos.portFree(port)).as("held once start returned (tcp ready)").isFalse();

        JsonNode stopped = json(tether("stop", "--json", id));
        assertThat(stopped).hasSize(1);
        JsonNode r = stopped.get(0);
        assertThat(r.get("id").asText()).isEqualTo(id);
        assertThat(r.get("state").asText()).isEqualTo("STOPPED");
        assertThat(r.get("already_ended").asBoolean()).isFalse();
        assertThat(r.get("signalled").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(r.get("survivors").asInt()).isZero();
        assertThat(r.get("error").isNull()).isTrue();
        assertThat(Chaos.survivors(t)).isZero();
        assertThat(Chaos.portFree(port)).isTrue();
    }

    @Test
    void everyFlagReachesTheDaemon() throws Exception {
        String t = tag("flags");
        JsonNode s = json(tether(with(List.of("start", "--json", "--name", "nb", "--tag", "a", "--tag", "b",
                "--env", "CHAOS_TAG=" + t, "--env", "GREETING=hi", "--dir", "--grace", "3s", "--idle", "30m",
                "--port-range", "20000-29999", "--restart", "on-failure", "--max-restarts", "2"), List.of("sleep", "300"))));
        assertThat(s.get("name").asText()).isEqualTo("nb");
        assertThat(s.get("tags")).extracting(JsonNode::asText).containsExactly("a", "b");
        assertThat(s.get("cwd").asText()).isEqualTo(System.getProperty("user.dir"));
        assertThat(s.get("grace_ms").asLong()).isEqualTo(3000);
        assertThat(s.get("idle_timeout_ms").asLong()).isEqualTo(Duration.ofMinutes(30).toMillis());
        assertThat(s.get("port").asInt()).isBetween(20000, 29999);
        assertThat(s.get("restart").get("policy").asText()).isEqualTo("on-failure");
        assertThat(s.get("restart").get("max_restarts").asInt()).isEqualTo(2);
        Path dir = Path.of(s.get("directory").asText());
        assertThat(dir).isDirectory();
        long pid = s.get("pid").asLong();
        assertThat(Files.readString(Path.of("/proc/" + pid + "/environ"))).contains("GREETING=hi");

        Run stop = tether("stop", s.get("id").asText());
        assertThat(stop.code()).as(stop.err()).isZero();
        assertThat(dir).as("session directory removed after the stop").doesNotExist();
    }

    @Test
    void aSessionThatIsNotReadyIsStoppedAndItsOutputShown() {
        String t = tag("notready");
        Run r = tether(with(List.of("start", "--env", "CHAOS_TAG=" + t, "--ready", "log:^listening", "--ready-timeout", "1s"),
                List.of("sh", "-c", "echo booting; echo 'config missing' >&2; exec sleep 300")));
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("did not become ready").contains("booting").contains("config missing");
        assertThat(r.out()).isEmpty();
        assertThat(Chaos.survivors(t)).as("stopped by the daemon before start returned").isZero();
    }

    @Test
    void stopOfUnknownIdsAndOfNothing() throws Exception {
        Run none = tether("stop", "--all");
        assertThat(none.code()).isEqualTo(ExitCodes.NOTHING_TO_DO);
        assertThat(none.out()).contains("nothing to do");
        assertThat(tether("stop", "--all", "--json").out().strip()).isEqualTo("[ ]");

        String t = tag("mixed");
        String id = STARTED.matcher(tether(with(List.of("start"), Chaos.command("term-ignorer", t))).out()).results()
                .findFirst().orElseThrow().group(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> Chaos.survivors(t) == 2);
        Run mixed = tether("stop", "nosuchsession", id);
        assertThat(mixed.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(mixed.err()).contains("nosuchsession");
        assertThat(mixed.out()).contains(id).contains("STOPPED");
        assertThat(Chaos.survivors(t)).as("the known one was stopped anyway").isZero();

        Run again = tether("stop", id);
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("already STOPPED");
    }

    @Test
    void stopAllStopsEverySessionAtOnceEachWithItsGrace() throws Exception {
        String ignorer = tag("ignorer");
        String graceful = tag("graceful");
        Path marker = tmp.resolve("graceful-marker");
        assertThat(tether(with(List.of("start", "--grace", "1s"), Chaos.command("term-ignorer", ignorer))).code()).isZero();
        assertThat(tether(with(List.of("start"), Chaos.command("slow-graceful", graceful, marker, 1))).code()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> Chaos.survivors(ignorer) == 2 && Chaos.survivors(graceful) >= 2);

        JsonNode results = json(tether("stop", "--all", "--json"));
        assertThat(results).hasSize(2);
        assertThat(results).allSatisfy(r -> assertThat(r.get("state").asText()).isEqualTo("STOPPED"));
        Set<Integer> killed = new HashSet<>();
        results.forEach(r -> killed.add(r.get("killed").asInt()));
        assertThat(killed).as("the TERM ignorer needed SIGKILL, the graceful one did not").contains(0).anyMatch(k -> k > 0);
        assertThat(marker).as("slow-graceful had its grace").exists();
        assertThat(Chaos.survivors(ignorer) + Chaos.survivors(graceful)).isZero();
    }

    @Test
    void logsTailsAndFollowsUntilTheSessionEnds() throws Exception {
        String t = tag("logs");
        String id = json(tether(with(List.of("start", "--json", "--env", "CHAOS_TAG=" + t),
                List.of("sh", "-c", "for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; sleep 1; echo last")))).get("id").asText();

        Run followed = tether("logs", "-f", id);
        assertThat(followed.code()).as(followed.err()).isZero();
        assertThat(followed.out()).isEqualTo("line 1\nline 2\nline 3\nline 4\nline 5\noops\nlast\n");
        assertThat(Chaos.survivors(t)).as("follow returned once the session ended").isZero();

        Run tail = tether("logs", "--tail", "2", id);
        assertThat(tail.code()).isZero();
        assertThat(tail.out()).isEqualTo("oops\nlast\n");

        Run unknown = tether("logs", "nosuchsession");
        assertThat(unknown.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(unknown.err()).contains("nosuchsession");
    }

    @Test
    void psHasTheSameFieldsFromTheDaemonAndFromTheRegistry() throws Exception {
        String t = tag("ps");
        String id = json(tether(with(List.of("start", "--json", "--name", "sleeper", "--tag", "x"), Chaos.command("term-ignorer", t))))
                .get("id").asText();
        JsonNode live = psRow(id);
        assertThat(tether("stop", id).code()).isZero();
        JsonNode fromDaemon = psRow(id, "--all");
        daemon.close();

        JsonNode fromRegistry = psRow(id, "--all");
        assertThat(fieldNames(fromRegistry)).isEqualTo(fieldNames(fromDaemon)).isEqualTo(fieldNames(live));
        for (String f : List.of("id", "name", "state", "pid", "instance", "exit", "tags")) {
            assertThat(fromRegistry.get(f)).as(f).isEqualTo(fromDaemon.get(f));
        }
        assertThat(fromRegistry.get("state").asText()).isEqualTo("STOPPED");
        assertThat(fromRegistry.get("tags")).extracting(JsonNode::asText).containsExactly("x");
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
