package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.testkit.Chaos;
import dev.tether.testkit.Leaks;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness probes against real servers: TCP, HTTP and log line; and what "not ready" reports. */
class ReadinessIT {
    @TempDir
    Path tmp;
    private Supervisor sup;
    private final String tag = Chaos.newTag("ready");

    @BeforeEach
    void open() {
        sup = Supervisor.builder().home(tmp.resolve("home")).shutdownHook(false).open();
    }

    @AfterEach
    void nothingLeft() {
        sup.close();
        assertThat(Leaks.ofInstance(sup.instanceId())).isEmpty();
        int left = Chaos.survivors(tag);
        Chaos.reap(tag);
        assertThat(left).isZero();
    }

    @Test
    void tcpProbeOnTheSessionsOwnPort() {
        Session s = sup.start(ProcessSpec.builder("sh", "-c", "exec " + Chaos.dir().resolve("port-holder") + " " + tag + " $PORT")
                .port(PortRequest.any()).stdout(Stdio.discard()).build());
        s.awaitReady(ReadinessProbe.tcp(Duration.ofSeconds(20)));
        assertThat(Ports.isFree(s.port().getAsInt())).isFalse();
        assertThat(s.port().getAsInt()).isBetween(20000, 29999);
    }

    @Test
    void httpProbe() {
        Session s = sup.start(ProcessSpec.builder("sh", "-c", "exec python3 -m http.server --bind 127.0.0.1 $PORT")
                .env("CHAOS_TAG", tag).port(PortRequest.any()).directory(tmp).stdout(Stdio.discard()).stderr(Stdio.discard()).build());
        s.awaitReady(ReadinessProbe.http("/", Duration.ofSeconds(20)));
        s.stop();
        // Nobody listens any more. (A strict bind may still fail for a minute: the probe's own
        // connection left the server side of the port in TIME_WAIT.)
        assertThat(Ports.owners(s.port().getAsInt())).isEmpty();
    }

    @Test
    void logLineProbe() {
        Path log = tmp.resolve("out.log");
        Session s = sup.start(ProcessSpec.builder("sh", "-c", "echo booting; echo 'listening on 1234'; exec sleep 60")
                .env("CHAOS_TAG", tag).stdout(Stdio.file(log)).build());
        s.awaitReady(ReadinessProbe.logLine("listening on \\d+", Duration.ofSeconds(10)));
    }

    @Test
    void exitBeforeReadyIsReportedWithTheLogTail() {
        Path log = tmp.resolve("fail.log");
        Session s = sup.start(ProcessSpec.builder("sh", "-c", "echo 'config error: no such file' >&2; exit 3")
                .stderr(Stdio.file(log)).build());
        assertThatThrownBy(() -> s.awaitReady(ReadinessProbe.logLine("ready", Duration.ofSeconds(10))))
                .isInstanceOf(NotReadyException.class)
                .hasMessageContaining("ended (exited 3)")
                .satisfies(e -> assertThat(((NotReadyException) e).logTail()).contains("config error: no such file"));
    }

    @Test
    void timeoutSaysWhatWasTried() {
        int port = Chaos.freePort();
        Session s = sup.start(ProcessSpec.builder("sleep", "60").env("CHAOS_TAG", tag).build());
        assertThatThrownBy(() -> s.awaitReady(ReadinessProbe.tcp(port, Duration.ofMillis(300))))
                .isInstanceOf(NotReadyException.class)
                .hasMessageContaining("no readiness within")
                .hasMessageContaining("127.0.0.1:" + port);
        assertThat(s.state()).isEqualTo(SessionState.RUNNING);
        s.stop();
    }

    @Test
    void badProbesAreRejected() {
        assertThatThrownBy(() -> ReadinessProbe.parse("ftp:/x", Duration.ofSeconds(1))).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("tcp, tcp:PORT, http:/path");
        assertThatThrownBy(() -> ReadinessProbe.logLine("(", Duration.ofSeconds(1))).hasMessageContaining("not a valid regular expression");
        Session s = sup.start(ProcessSpec.builder("sleep", "60").env("CHAOS_TAG", tag).build());
        assertThatThrownBy(() -> s.awaitReady(ReadinessProbe.tcp(Duration.ofSeconds(1)))).hasMessageContaining("needs a port");
        s.kill();
    }
}
