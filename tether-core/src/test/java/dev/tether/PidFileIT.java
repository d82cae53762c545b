package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PID file tells a live holder from a stale file, whatever killed the holder. */
class PidFileIT {
    @TempDir
    Path tmp;

    /** Child-JVM main: takes the PID file given as args[0], prints "held", waits. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            PidFile.acquire(Path.of(args[0]), Map.of("port", "7373"));
            System.out.println("held");
            System.out.flush();
            System.in.read();
        }
    }

    @Test
    void liveHolderIsReportedAndStaleFileReplaced() throws Exception {
        Path file = tmp.resolve("tether.pid");
        try (ChildJvm child = ChildJvm.start(Holder.class, Map.of(), List.of(file.toString()))) {
            child.awaitLine("held", Duration.ofSeconds(30));
            PidFile.Holder h = PidFile.inspect(file).orElseThrow();
            assertThat(h.pid()).isEqualTo(child.pid());
            assertThat(h.id().isAlive()).isTrue();
            assertThat(h.attributes()).containsEntry("port", "7373");
            assertThat(h.command()).contains("java");
            assertThatThrownBy(() -> PidFile.acquire(file, Map.of()))
                    .isInstanceOf(PidFile.HeldException.class)
                    .hasMessageContaining("pid " + child.pid());

            child.signal("KILL");
            child.waitFor(Duration.ofSeconds(10));
        }
        assertThat(file).exists(); // SIGKILL left it behind
        assertThat(PidFile.inspect(file)).isEmpty();
        assertThat(file).doesNotExist(); // inspect removed the stale file
        try (PidFile mine = PidFile.acquire(file, Map.of())) {
            assertThat(Files.readString(file)).contains("pid=" + ProcessHandle.current().pid());
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void fileWhosePidNowBelongsToAnotherProgramIsStale() throws Exception {
        Path file = tmp.resolve("tether.pid");
        // A file naming this very JVM's pid with another start time: as if an earlier process had
        // that pid. Nobody holds its lock, so it is stale and is replaced.
        ProcessId me = ProcessId.current();
        Files.writeString(file, "pid=" + me.pid() + "\nstart_time=" + (me.startTime() - 5) + "\nboot_id=" + me.bootId()
                + "\nstarted_at=2020-01-01T00:00:00Z\ncommand=old\n");
        try (PidFile taken = PidFile.acquire(file, Map.of())) {
            assertThat(Files.readString(file)).contains("start_time=" + me.startTime());
        }
    }
}
