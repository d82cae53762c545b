package dev.tether.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.ProcessSpec;
import dev.tether.testkit.Leaks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * guardian.sh on its own, against a spawn its supervisor had in flight when it died: a process
 * outside every cgroup and without the marker that execs its cgroup gate only after the guardian
 * read EOF and made its first kill. Whenever the gate comes, nothing may survive: entering during
 * the sweep gets it killed, and once the guardian has removed the cgroups the gate cannot enter
 * and exits 112 without running the command.
 */
class GuardianSweepIT {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** The bound for cleanup after a SIGKILL of the supervisor. */
    private static final Duration CLEANUP = Duration.ofSeconds(1);
    /** The guardian's own bound on its sweep is about 5 s. */
    private static final Duration GUARDIAN_EXIT = Duration.ofSeconds(6);

    private final String instance = "gsweep" + ProcessHandle.current().pid() + "n" + COUNTER.incrementAndGet();
    private final List<Process> started = new ArrayList<>();
    private Path cgroup;
    private Path procs;

    /** An instance cgroup with one session cgroup, as a supervisor with cgroup containment makes them. */
    private void sessionCgroup() throws IOException {
        Assumptions.assumeTrue(LinuxPlatform.usable() && LinuxPlatform.cgroupsAvailable(), "needs writable cgroup v2");
        cgroup = LinuxPlatform.instanceCgroup(instance).orElseThrow();
        Files.createDirectories(cgroup.resolve("s1"));
        procs = cgroup.resolve("s1").resolve("cgroup.procs");
    }

    @AfterEach
    void nothingSurvives() throws IOException {
        List<Long> left = Leaks.ofInstance(instance);
        // By identity only: the handles we hold, and the marked pids just found (ProcessHandle
        // checks the start time it captured before it signals).
        left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
        if (cgroup != null && Files.isDirectory(cgroup)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                for (Path d : Cgroups.treeDeepestFirst(cgroup)) {
                    Files.deleteIfExists(d);
                }
                return true;
            });
        }
        assertThat(left).as("marked processes left").isEmpty();
    }

    @RepeatedTest(20)
    void aGateThatEntersRightAfterTheFirstKillIsKilledToo() throws Exception {
        sessionCgroup();
        // The straggler's stdin is a pipe whose only write end the canary holds: the guardian's
        // first kill is what sends it on, as a supervisor's death lets its in-flight spawn go on.
        List<Process> pair = ProcessBuilder.startPipeline(List.of(inSessionBuilder(), stragglerBuilder()));
        started.addAll(pair);
        Process canary = pair.get(0);
        Process late = pair.get(1);
        awaitInCgroup(canary);
        Process guardian = guardian();

        guardian.getOutputStream().close(); // the supervisor died

        // Only its end is checked, not its status: once it died inside a tether cgroup, this JVM's
        // orphan reaper (initialised by the assumption above) may reap it before the JDK does.
        await().pollInterval(Duration.ofMillis(10)).atMost(CLEANUP)
                .until(() -> !canary.isAlive() && !late.isAlive() && Leaks.ofInstance(instance).isEmpty());
        await().atMost(GUARDIAN_EXIT).until(() -> !guardian.isAlive());
        assertThat(cgroup).as("instance cgroup removed by the guardian").doesNotExist();
    }

    @Test
    void aGateThatComesAfterTheGuardianFinishedCannotEnter() throws Exception {
        sessionCgroup();
        Process canary = inSession();
        Process late = straggler();
        Process guardian = guardian();

        guardian.getOutputStream().close();
        await().atMost(GUARDIAN_EXIT).until(() -> !guardian.isAlive());
        assertThat(canary.isAlive()).isFalse();
        assertThat(cgroup).as("instance cgroup removed by the guardian").doesNotExist();
        go(late);

        await().pollInterval(Duration.ofMillis(10)).atMost(CLEANUP).until(() -> !late.isAlive());
        assertThat(late.exitValue()).as("the gate could not enter its removed cgroup").isEqualTo(LinuxSpawner.GATE_FAILED_STATUS);
        assertThat(Leaks.ofInstance(instance)).isEmpty();
    }

    @RepeatedTest(5)
    void withoutCgroupsAMarkedProcessThatExecsRightAfterTheFirstSweepIsKilledToo() throws Exception {
        // Marker containment: nothing bars a late exec, so the guardian keeps sweeping for a while.
        ProcessBuilder canaryPb = new ProcessBuilder("/bin/sleep", "300").redirectError(ProcessBuilder.Redirect.DISCARD);
        canaryPb.environment().put(ProcessSpec.INSTANCE_MARKER, instance);
        ProcessBuilder stragglerPb = new ProcessBuilder("/bin/sh", "-c",
                "read -r go; exec env \"" + ProcessSpec.INSTANCE_MARKER + "=$0\" /bin/sh -c 'sleep 300 & exec sleep 300'", instance)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        stragglerPb.environment().remove(ProcessSpec.INSTANCE_MARKER);
        List<Process> pair = ProcessBuilder.startPipeline(List.of(canaryPb, stragglerPb));
        started.addAll(pair);
        Process canary = pair.get(0);
        Process late = pair.get(1);
        Process guardian = guardian("-");

        guardian.getOutputStream().close();

        await().pollInterval(Duration.ofMillis(10)).atMost(CLEANUP)
                .until(() -> !canary.isAlive() && !late.isAlive() && Leaks.ofInstance(instance).isEmpty());
        assertThat(late.exitValue()).as("killed").isEqualTo(128 + 9);
        await().atMost(GUARDIAN_EXIT).until(() -> !guardian.isAlive());
        assertThat(Leaks.ofInstance(instance)).isEmpty();
    }

    private Process guardian() throws IOException {
        return guardian(cgroup.toString());
    }

    /** The guardian as GuardianProcess starts it, its stdin a pipe whose write end the test holds. */
    private Process guardian(String cgroupOrDash) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", GuardianProcess.SCRIPT, "tether-guardian", instance, cgroupOrDash)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", "/usr/bin:/bin", GuardianProcess.GUARDIAN_MARKER, instance));
        return start(pb);
    }

    /** A marked session process, gated into the session cgroup. */
    private Process inSession() throws IOException {
        Process p = start(inSessionBuilder());
        awaitInCgroup(p);
        return p;
    }

    private ProcessBuilder inSessionBuilder() {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", LinuxSpawner.GATE_SCRIPT, procs.toString(), "/bin/sleep", "300")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put(ProcessSpec.INSTANCE_MARKER, instance);
        return pb;
    }

    private void awaitInCgroup(Process p) {
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(procs).lines().anyMatch(Long.toString(p.pid())::equals));
    }

    /**
     * A spawn in flight: unmarked and outside the cgroup until its stdin ends or says go, then it
     * execs the gate with the marker (as a posix_spawn child execs after its supervisor died),
     * which enters the session cgroup and runs a command that forks.
     */
    private Process straggler() throws IOException {
        return start(stragglerBuilder());
    }

    private ProcessBuilder stragglerBuilder() {
        String script = "read -r go; exec env \"" + ProcessSpec.INSTANCE_MARKER + "=$0\" /bin/sh -c \"$1\" \"$2\""
                + " /bin/sh -c 'sleep 300 & exec sleep 300'";
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script, instance, LinuxSpawner.GATE_SCRIPT, procs.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove(ProcessSpec.INSTANCE_MARKER);
        return pb;
    }

    private static void go(Process late) throws IOException {
        OutputStream in = late.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    private Process start(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        started.add(p);
        return p;
    }
}
