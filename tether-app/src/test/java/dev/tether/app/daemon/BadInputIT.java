package dev.tether.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.client.SessionQuery;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every kind, each answered with its 4xx, a stable code and a message that says what
 * to fix; afterwards the daemon still serves, and nothing was started, recorded or left behind.
 */
class BadInputIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OK_AUTH = "ok";

    @TempDir
    static Path home;
    @TempDir
    static Path scratch;
    static TestDaemon daemon;
    static ServerSocket heldPort;
    static Path notExecutable;
    static Path aFile;

    @BeforeAll
    static void start() throws IOException {
        daemon = TestDaemon.start(home);
        heldPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        notExecutable = Files.writeString(scratch.resolve("script.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
        aFile = Files.writeString(scratch.resolve("plain.txt"), "not a directory");
        Files.createDirectories(home.resolve("sessions"));
        Files.createSymbolicLink(home.resolve("sessions").resolve("escape"), scratch);
    }

    @AfterAll
    static void nothingWasStartedOrLeft() throws IOException {
        try {
            assertThat(daemon.send("GET", "/healthz", null, null, null).statusCode()).as("still serving").isEqualTo(200);
            assertThat(daemon.client().sessions(SessionQuery.everything()).sessions()).as("no session, live or recorded").isEmpty();
            assertThat(daemon.client().health().registry().consistent()).isTrue();
            assertThat(daemon.leftovers()).as("no process of the daemon's instance").isEmpty();
            Path logs = home.resolve("logs");
            if (Files.isDirectory(logs)) {
                try (Stream<Path> files = Files.list(logs)) {
                    assertThat(files.toList()).as("no stray log files").isEmpty();
                }
            }
            try (Stream<Path> dirs = Files.list(home.resolve("sessions"))) {
                assertThat(dirs.toList()).as("no session directory, only the planted symlink")
                        .containsExactly(home.resolve("sessions").resolve("escape"));
            }
            try (Stream<Path> outside = Files.list(scratch)) {
                assertThat(outside.toList()).as("nothing created through the symlink").containsExactlyInAnyOrder(notExecutable, aFile);
            }
        } finally {
            heldPort.close();
            daemon.close();
        }
    }

    /** One bad request and what must come back. */
    record Case(String name, String method, String path, String contentType, String body, String auth, int status,
                String code, String hint) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case post(String name, String body, int status, String code, String hint) {
        return new Case(name, "POST", "/sessions", "application/json", body, OK_AUTH, status, code, hint);
    }

    static Case call(String name, String method, String path, int status, String code, String hint) {
        return new Case(name, method, path, null, null, OK_AUTH, status, code, hint);
    }

    static List<Case> cases() {
        String big = "{\"argv\": [\"echo\", \"" + "x".repeat(1024 * 1024 + 10) + "\"]}";
        int held = heldPort.getLocalPort();
        return List.of(
                post("malformed JSON", "{\"argv\": [\"ls\"", 400, "malformed_json", "line 1"),
                post("trailing garbage", "{\"argv\": [\"ls\"]} }", 400, "malformed_json", "not valid JSON"),
                post("a field twice", "{\"argv\": [\"true\"], \"argv\": [\"false\"]}", 400, "malformed_json", "argv"),
                post("not an object", "[\"ls\"]", 400, "not_an_object", "JSON object"),
                post("empty body", "", 400, "empty_body", "argv"),
                post("argv missing", "{}", 400, "invalid_field", "argv: is required"),
                post("argv null", "{\"argv\": null}", 400, "invalid_field", "argv: is required"),
                post("argv a shell string", "{\"argv\": \"ls -la\"}", 400, "invalid_field", "array of strings"),
                post("argv empty", "{\"argv\": []}", 400, "invalid_field", "must not be empty"),
                post("argv element a number", "{\"argv\": [\"ls\", 3]}", 400, "invalid_field", "argv[1]"),
                post("argv[0] empty", "{\"argv\": [\"\"]}", 400, "invalid_field", "argv[0]"),
                post("argv[0] not executable", "{\"argv\": [\"" + notExecutable + "\"]}", 422, "spawn_failed", "not executable"),
                post("argv[0] missing file", "{\"argv\": [\"/nonexistent/bin/tool\"]}", 422, "spawn_failed", "does not exist"),
                post("argv[0] not on PATH", "{\"argv\": [\"no-such-program-tether-test\"]}", 422, "spawn_failed", "not found on PATH"),
                post("argv[0] a directory", "{\"argv\": [\"" + scratch + "\"]}", 422, "spawn_failed", "is a directory"),
                post("unknown field", "{\"argv\": [\"true\"], \"colour\": \"red\"}", 400, "unknown_field", "colour"),
                post("name a number", "{\"argv\": [\"true\"], \"name\": 5}", 400, "invalid_field", "name: must be a string"),
                post("name with a newline", "{\"argv\": [\"true\"], \"name\": \"a\\nb\"}", 400, "invalid_field", "name"),
                post("tags not a list", "{\"argv\": [\"true\"], \"tags\": \"web\"}", 400, "invalid_field", "tags"),
                post("env not an object", "{\"argv\": [\"true\"], \"env\": [\"A=1\"]}", 400, "invalid_field", "env"),
                post("env value a number", "{\"argv\": [\"true\"], \"env\": {\"A\": 1}}", 400, "invalid_field", "env.A"),
                post("env overrides the marker", "{\"argv\": [\"true\"], \"env\": {\"TETHER_SESSION\": \"x\"}}", 400, "invalid_field",
                        "TETHER_SESSION"),
                post("cwd relative", "{\"argv\": [\"true\"], \"cwd\": \"some/dir\"}", 400, "invalid_field", "absolute"),
                post("cwd missing", "{\"argv\": [\"true\"], \"cwd\": \"/nonexistent-tether-dir\"}", 422, "spawn_failed", "does not exist"),
                post("cwd a file", "{\"argv\": [\"true\"], \"cwd\": \"" + aFile + "\"}", 422, "spawn_failed", "not a directory"),
                post("port negative", "{\"argv\": [\"true\"], \"port\": -1}", 400, "invalid_field", "1..65535"),
                post("port 0", "{\"argv\": [\"true\"], \"port\": 0}", 400, "invalid_field", "1..65535"),
                post("port over 65535", "{\"argv\": [\"true\"], \"port\": 65536}", 400, "invalid_field", "1..65535"),
                post("port a word", "{\"argv\": [\"true\"], \"port\": \"eighty\"}", 400, "invalid_field", "port"),
                post("port a fraction", "{\"argv\": [\"true\"], \"port\": 80.5}", 400, "invalid_field", "port"),
                post("port range reversed", "{\"argv\": [\"true\"], \"port\": {\"range\": [30000, 20000]}}", 400, "invalid_field",
                        "LOW must not be above HIGH"),
                post("port range one number", "{\"argv\": [\"true\"], \"port\": {\"range\": [30000]}}", 400, "invalid_field", "[LOW, HIGH]"),
                post("port held by another process", "{\"argv\": [\"true\"], \"port\": " + held + "}", 409, "port_in_use",
                        "pid " + ProcessHandle.current().pid()),
                post("session_dir escaping with ..", "{\"argv\": [\"true\"], \"session_dir\": \"../../etc\"}", 422,
                        "invalid_session_dir", ".."),
                post("session_dir absolute", "{\"argv\": [\"true\"], \"session_dir\": \"/etc\"}", 422, "invalid_session_dir", "relative"),
                post("session_dir through a symlink out of the base", "{\"argv\": [\"true\"], \"session_dir\": \"escape/x\"}", 422,
                        "invalid_session_dir", "symlink"),
                post("session_dir a number", "{\"argv\": [\"true\"], \"session_dir\": 1}", 400, "invalid_field", "session_dir"),
                post("grace in words", "{\"argv\": [\"true\"], \"grace\": \"ten seconds\"}", 400, "invalid_field", "10s"),
                post("grace a bare number", "{\"argv\": [\"true\"], \"grace\": 10}", 400, "invalid_field", "duration string"),
                post("stop_signal unknown", "{\"argv\": [\"true\"], \"stop_signal\": \"BOGUS\"}", 400, "invalid_field", "TERM"),
                post("idle_timeout zero", "{\"argv\": [\"true\"], \"idle_timeout\": \"0\"}", 400, "invalid_field", "more than 0"),
                post("ready probe unknown", "{\"argv\": [\"true\"], \"ready\": {\"ping\": {}}}", 400, "invalid_field", "tcp, http or log"),
                post("ready tcp without a port", "{\"argv\": [\"true\"], \"ready\": {\"tcp\": {}}}", 400, "invalid_field", "port"),
                post("ready log bad regex", "{\"argv\": [\"true\"], \"ready\": {\"log\": {\"pattern\": \"(\"}}}", 400, "invalid_field",
                        "regular expression"),
                post("ready http path without /", "{\"argv\": [\"true\"], \"port\": \"any\", \"ready\": {\"http\": {\"path\": \"health\"}}}",
                        400, "invalid_field", "'/'"),
                post("restart unknown", "{\"argv\": [\"true\"], \"restart\": \"always\"}", 400, "invalid_field", "on-failure"),
                post("restart negative max", "{\"argv\": [\"true\"], \"restart\": {\"policy\": \"on-failure\", \"max_restarts\": -1}}",
                        400, "invalid_field", "max_restarts"),
                post("body over 1 MiB", big, 413, "body_too_large", "1 MiB"),
                new Case("text/plain body", "POST", "/sessions", "text/plain", "{\"argv\": [\"true\"]}", OK_AUTH, 415,
                        "unsupported_media_type", "application/json"),
                new Case("no content type", "POST", "/sessions", null, "{\"argv\": [\"true\"]}", OK_AUTH, 415,
                        "unsupported_media_type", "application/json"),
                new Case("wrong token", "GET", "/sessions", null, null, "Bearer not-the-token", 401, "unauthorized", "wrong token"),
                new Case("no token", "POST", "/sessions", "application/json", "{\"argv\": [\"true\"]}", null, 401, "unauthorized",
                        "Authorization: Bearer"),
                new Case("basic auth", "GET", "/health", null, null, "Basic dXNlcjpwYXNz", 401, "unauthorized", "Bearer"),
                call("unknown session", "GET", "/sessions/nosuchsession", 404, "not_found", "nosuchsession"),
                call("stop an unknown session", "DELETE", "/sessions/nosuchsession", 404, "not_found", "nosuchsession"),
                call("logs of an unknown session", "GET", "/sessions/nosuchsession/logs", 404, "not_found", "nosuchsession"),
                call("activity of an unknown session", "POST", "/sessions/nosuchsession/activity", 404, "not_found", "nosuchsession"),
                call("wrong method on /sessions", "PUT", "/sessions", 405, "method_not_allowed", "allowed: POST, GET"),
                call("wrong method on cleanup", "GET", "/cleanup/orphans", 405, "method_not_allowed", "POST"),
                call("unknown route", "GET", "/nothing-here", 404, "not_found", "openapi.json"),
                call("state filter unknown", "GET", "/sessions?state=BOGUS", 400, "invalid_parameter", "RUNNING"),
                call("limit not a number", "GET", "/sessions?limit=lots", 400, "invalid_parameter", "limit"),
                call("limit zero", "GET", "/sessions?limit=0", 400, "invalid_parameter", "limit"),
                call("force neither true nor false", "DELETE", "/sessions/x?force=maybe", 400, "invalid_parameter", "force"),
                call("tail negative", "GET", "/sessions/x/logs?tail=-1", 400, "invalid_parameter", "tail"),
                call("port 0 lookup", "GET", "/ports/0", 400, "invalid_parameter", "1..65535"),
                call("port over 65535 lookup", "GET", "/ports/70000", 400, "invalid_parameter", "1..65535"),
                call("port not a number lookup", "GET", "/ports/http", 400, "invalid_parameter", "number"),
                new Case("emergency without confirm", "POST", "/emergency-recovery", "application/json", "{}", OK_AUTH, 422,
                        "not_confirmed", "{\"confirm\": true}"),
                new Case("emergency confirm false", "POST", "/emergency-recovery", "application/json", "{\"confirm\": false}", OK_AUTH,
                        422, "not_confirmed", "confirm"),
                new Case("emergency with extra field", "POST", "/emergency-recovery", "application/json",
                        "{\"confirm\": true, \"all\": true}", OK_AUTH, 400, "unknown_field", "all"),
                new Case("emergency without a body", "POST", "/emergency-recovery", null, null, OK_AUTH, 415,
                        "unsupported_media_type", "application/json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithAMessageThatSaysWhatToFix(Case c) throws IOException {
        String auth = OK_AUTH.equals(c.auth()) ? "Bearer " + daemon.token() : c.auth();
        HttpResponse<String> r = daemon.send(c.method(), c.path(), c.contentType(), c.body(), auth);
        assertThat(r.statusCode()).as("status of %s: %s", c.name(), r.body()).isEqualTo(c.status());
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error).as("an {\"error\": ...} body: %s", r.body()).isNotNull();
        assertThat(error.get("code").asText()).isEqualTo(c.code());
        assertThat(error.get("message").asText()).as("the message says what to fix").contains(c.hint());
        if (c.status() == 409) {
            assertThat(error.get("holders")).as("who holds the port").isNotEmpty();
        }
        if (c.status() == 405) {
            assertThat(r.headers().firstValue("Allow")).isPresent();
        }
    }
}
