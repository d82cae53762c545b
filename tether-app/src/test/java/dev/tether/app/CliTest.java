package dev.tether.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Each command through picocli's execute(), with captured output: exit codes, human and JSON output. Starts no processes. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    record Run(int code, String out, String err) {}

    private Run run(String... args) {
        CommandLine cl = TetherCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void serveRefusesANonLoopbackAddressUnlessAllowed() {
        Run r = run("--home", home.toString(), "serve", "--host", "0.0.0.0", "--port", "0");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("0.0.0.0").contains("--allow-remote");
        assertThat(home.resolve("tether.pid")).as("nothing started").doesNotExist();
    }

    @Test
    void portOfAFreePort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = run("port", String.valueOf(port));
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("port " + port + " is free\n");
        JsonNode j = JSON.readTree(run("port", String.valueOf(port), "--json").out());
        assertThat(j.get("port").asInt()).isEqualTo(port);
        assertThat(j.get("free").asBoolean()).isTrue();
        assertThat(j.get("holders")).isEmpty();
    }

    @Test
    void portHeldByThisJvm() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            Run r = run("port", String.valueOf(s.getLocalPort()));
            assertThat(r.code()).isZero();
            assertThat(r.out()).startsWith("PID").contains(String.valueOf(ProcessHandle.current().pid())).contains("java");
            JsonNode j = JSON.readTree(run("port", String.valueOf(s.getLocalPort()), "--json").out());
            assertThat(j.get("free").asBoolean()).isFalse();
            assertThat(j.get("holders").get(0).get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void badPortIsAUsageError() {
        Run r = run("port", "70000");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("PORT must be 1..65535, got 70000");
        assertThat(run("port", "eighty").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void mistypedCommandSuggestsTheClosest() {
        Run r = run("cleanpu");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Did you mean").contains("cleanup");
        Run strat = run("strat");
        assertThat(strat.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(strat.err()).contains("Did you mean: tether start");
        assertThat(run("stpo").err()).contains("Did you mean: tether stop");
        assertThat(run("start", "--nme", "x", "--", "true").err()).contains("Unknown option: '--nme'").contains("Did you mean: --name");
    }

    @Test
    void aUsageErrorIsOneLineAndAHint() {
        Run r = run("stop");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("tether: name the sessions to stop (tether ps lists them), or --all\n"
                + "hint: see `tether stop --help`\n");
    }

    @Test
    void startChecksItsFlagsBeforeLookingForADaemon() {
        String[][] wrong = {
            {"--port", "1", "--port-range", "2-3"}, {"--port", "70000"}, {"--port", "some"}, {"--port-range", "9-1"},
            {"--port-range", "3000"}, {"--ready", "tcp"}, {"--ready", "http:health", "--port", "any"}, {"--ready", "smoke"},
            {"--ready", "log:("}, {"--ready-timeout", "5s"}, {"--grace", "soon"}, {"--idle", "0"}, {"--restart", "always"},
            {"--restart", "never", "--max-restarts", "2"}, {"--env", "NOVALUE"}};
        for (String[] flags : wrong) {
            List<String> args = new ArrayList<>(List.of("--home", home.toString(), "start"));
            args.addAll(List.of(flags));
            args.addAll(List.of("--", "true"));
            Run r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(String.join(" ", flags) + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(String.join(" ", flags)).startsWith("tether: ").contains("hint: see `tether start --help`");
        }
        assertThat(run("--home", home.toString(), "start").err()).contains("CMD");
    }

    @Test
    void withoutADaemonStartStopAndLogsExit5WithAHint() {
        for (String[] args : new String[][] {{"start", "--", "true"}, {"stop", "--all"}, {"stop", "abc"}, {"logs", "abc"}}) {
            List<String> all = new ArrayList<>(List.of("--home", home.toString()));
            all.addAll(List.of(args));
            Run r = run(all.toArray(String[]::new));
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.DAEMON_NOT_RUNNING);
            assertThat(r.err()).isEqualTo("tether: no Tether daemon runs for " + home + "\n"
                    + "hint: start one with `tether serve --home " + home + "`\n");
        }
    }

    @Test
    void aDaemonThatDoesNotAnswerIsNotRunning() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(home.resolve("tether.pid"), "pid=1\nattr.url=http://127.0.0.1:" + port + "\n");
        Files.writeString(home.resolve("token"), "t0ken\n");
        Run r = run("--home", home.toString(), "stop", "--all");
        assertThat(r.code()).isEqualTo(ExitCodes.DAEMON_NOT_RUNNING);
        assertThat(r.err()).contains("does not answer at http://127.0.0.1:" + port).contains("tether serve");
        assertThat(run("--home", home.toString(), "ps").out()).as("ps falls back to the registry").contains("no live sessions");
    }

    @Test
    void psOnAnEmptyHome() throws Exception {
        Run r = run("--home", home.toString(), "ps");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("no live sessions");
        assertThat(JSON.readTree(run("--home", home.toString(), "ps", "--all", "--json").out())).isEmpty();
    }

    @Test
    void cleanupWithNothingToDo() throws Exception {
        Run r = run("--home", home.toString(), "cleanup", "--dry-run");
        assertThat(r.code()).isEqualTo(ExitCodes.NOTHING_TO_DO);
        assertThat(r.out()).contains("nothing to clean up");
        JsonNode j = JSON.readTree(run("--home", home.toString(), "cleanup", "--json").out());
        assertThat(j.get("found")).isEmpty();
        assertThat(j.get("acted").asBoolean()).isFalse();
    }

    @Test
    void doctorReportsEveryCheck() throws Exception {
        Run r = run("--home", home.toString(), "doctor");
        assertThat(r.out()).contains("native access").contains("cgroup v2").contains("pidfd").contains("subreaper")
                .contains("glibc").contains("registry").contains("daemon").contains("guardian").contains("containment");
        JsonNode j = JSON.readTree(run("--home", home.toString(), "doctor", "--json").out());
        assertThat(j.get("containment").asText()).isIn("CGROUP", "PROCESS_GROUP_AND_MARKER", "PORTABLE");
        assertThat(j.get("checks")).allSatisfy(c -> assertThat(c.get("status").asText()).isIn("ok", "warn", "fail"));
    }

    @Test
    void completionScripts() {
        Run bash = run("completion", "bash");
        assertThat(bash.code()).isZero();
        assertThat(bash.out()).contains("complete -F").contains("cleanup").contains("doctor")
                .contains("start").contains("stop").contains("logs").contains("--ready-timeout").contains("--max-restarts");
        assertThat(run("completion", "zsh").out()).startsWith("autoload -U +X compinit");
        assertThat(run("completion", "fish").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String cmd : new String[] {"run", "serve", "start", "stop", "logs", "ps", "port", "cleanup", "doctor", "completion"}) {
            Run r = run(cmd, "--help");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Examples:");
        }
        assertThat(run("--help").out()).contains("Exit codes:").contains("3    nothing to do").contains("5    daemon not running")
                .contains("start").contains("stop").contains("logs");
    }
}
