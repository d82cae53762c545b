package dev.tether.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tether.Containment;
import dev.tether.Exit;
import dev.tether.ProcessSpec;
import dev.tether.Session;
import dev.tether.SpawnException;
import dev.tether.Stdio;
import dev.tether.Supervisor;
import dev.tether.linux.libc.LibC;
import dev.tether.spi.ScopeKey;
import dev.tether.spi.SessionScope;
import dev.tether.spi.SpawnRequest;
import dev.tether.testkit.Leaks;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spawns held before exec until this JVM has put them in their cgroup ({@link HeldSpawns}): each
 * child lands in its own session's cgroup even when many spawn at once from virtual and platform
 * threads; a child the cgroup cannot take fails before running anything, with a typed error; and
 * a child held when its JVM died is released to fail, by the guardian or by a later JVM.
 */
class HeldSpawnsIT {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration CLEANUP = Duration.ofSeconds(3);

    private final String instance = "held" + ProcessHandle.current().pid() + "n" + COUNTER.incrementAndGet();
    private final List<Process> started = new ArrayList<>();
    @TempDir
    Path tmp;

    @BeforeEach
    void needsCgroups() {
        Assumptions.assumeTrue(LinuxPlatform.usable() && LinuxPlatform.cgroupsAvailable(), "needs writable cgroup v2");
    }

    @AfterEach
    void nothingSurvives() throws IOException {
        started.forEach(Process::destroyForcibly);
        List<Long> left = Leaks.ofInstance(instance);
        left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        Optional<Path> cg = LinuxPlatform.instanceCgroup(instance);
        if (cg.isPresent() && Files.isDirectory(cg.get())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                for (Path d : Cgroups.treeDeepestFirst(cg.get())) {
                    Files.deleteIfExists(d);
                }
                return true;
            });
        }
        assertThat(left).as("marked processes left").isEmpty();
    }

    @Test
    void concurrentSpawnsEachLandInTheirOwnSessionsCgroup() throws Exception {
        try (Supervisor sup = Supervisor.builder().containment(Containment.CGROUP).shutdownHook(false).open();
             ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor();
             ExecutorService platform = Executors.newFixedThreadPool(4)) {
            ProcessSpec spec = ProcessSpec.builder("/bin/cat", "/proc/self/cgroup").stdout(Stdio.pipe()).build();
            List<Future<String>> mismatches = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                ExecutorService on = i % 3 == 0 ? platform : virtual;
                mismatches.add(on.submit(() -> {
                    Session s = sup.start(spec);
                    String out = new String(s.stdout().readAllBytes(), StandardCharsets.UTF_8);
                    Exit exit = s.onStopped().get().exit();
                    String expected = "0::" + cgroupRelative(s.cgroup().orElseThrow());
                    boolean inOwn = out.lines().anyMatch(expected::equals);
                    return inOwn && exit.equals(new Exit.Exited(0)) ? "" : s.id() + ": " + out.strip() + " / " + exit;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<String> f : mismatches) {
                if (!f.get().isEmpty()) {
                    wrong.add(f.get());
                }
            }
            assertThat(wrong).as("sessions whose main was not in its own cgroup when it ran").isEmpty();
        }
    }

    @Test
    void treesStartedAndStoppedFromManyThreadsAtOnceLeaveNothing() throws Exception {
        // A child spawned while another thread's keeper had a hold open for writing copied that
        // descriptor; on a reused hold it let the next held child through before it was in its
        // cgroup, and that child's own child then outlived the stop (7 in 6,000 here).
        String tag = "heldchurn" + ProcessHandle.current().pid() + "n" + COUNTER.incrementAndGet();
        AtomicInteger sessions = new AtomicInteger();
        List<String> unclean = Collections.synchronizedList(new ArrayList<>());
        try (Supervisor sup = Supervisor.builder().containment(Containment.CGROUP).shutdownHook(false).open()) {
            ProcessSpec tree = ProcessSpec.builder("/bin/sh", "-c", "sleep 60 & wait").env("CHAOS_TAG", tag)
                    .stdout(Stdio.discard()).stderr(Stdio.discard()).build();
            long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    while (System.nanoTime() < end) {
                        var report = sup.start(tree).stop();
                        sessions.incrementAndGet();
                        if (!report.clean()) {
                            unclean.add(report.toString());
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            List<Long> left = Leaks.withEnv("CHAOS_TAG", tag);
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            assertThat(left).as("processes left after %d sessions", sessions.get()).isEmpty();
        }
        assertThat(unclean).isEmpty();
        assertThat(sessions.get()).isGreaterThan(100);
    }

    @Test
    void gatesRemovedUnderTheJvmAreMadeAgain() throws Exception {
        try (Supervisor sup = Supervisor.builder().containment(Containment.CGROUP).shutdownHook(false).open()) {
            sup.start(ProcessSpec.builder("/bin/true").build()).onStopped().get();
            Path own = ownGateDirectory();
            try (var files = Files.list(own)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(own); // as a /tmp cleaner would

            Session s = sup.start(ProcessSpec.builder("/bin/cat", "/proc/self/cgroup").stdout(Stdio.pipe()).build());
            String out = new String(s.stdout().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(s.onStopped().get().exit()).isEqualTo(new Exit.Exited(0));
            assertThat(out.lines()).contains("0::" + cgroupRelative(s.cgroup().orElseThrow()));
            assertThat(own.resolve(HeldSpawns.OWNER_LOCK)).as("made again, with its owner lock").exists();
        }
    }

    @Test
    void releasingAbandonedGatesNeverTouchesThisJvmsOwn() throws Exception {
        try (Supervisor sup = Supervisor.builder().containment(Containment.CGROUP).shutdownHook(false).open()) {
            sup.start(ProcessSpec.builder("/bin/true").build()).onStopped().get();
            Path own = ownGateDirectory();
            HeldSpawns.releaseAbandoned();
            HeldSpawns.releaseAbandoned(); // a dropped lock would make the second take it for a dead JVM's
            assertThat(own.resolve(HeldSpawns.OWNER_LOCK)).as("this JVM's gates, kept").exists();
            assertThat(sup.start(ProcessSpec.builder("/bin/true").build()).onStopped().get().exit()).isEqualTo(new Exit.Exited(0));
        }
    }

    /** This JVM's gate directory: named after its pid and start time. */
    private static Path ownGateDirectory() throws IOException {
        long pid = ProcessHandle.current().pid();
        long start = ProcFs.stat(pid).orElseThrow().startTime();
        try (var dirs = Files.newDirectoryStream(HeldSpawns.base(), HeldSpawns.DIRECTORY_PREFIX + pid + "-" + start + "-*")) {
            return dirs.iterator().next();
        }
    }

    @Test
    void aChildItsCgroupCannotTakeFailsBeforeRunningAnything() throws Exception {
        LinuxPlatform platform = LinuxPlatform.create(true);
        Path ran = tmp.resolve("ran");
        SessionScope scope = platform.createScope(new ScopeKey(instance, "gone"));
        Files.delete(Path.of(scope.cgroup().orElseThrow())); // an empty cgroup: rmdir works, and now nothing can enter it
        ProcessSpec spec = ProcessSpec.builder("/bin/sh", "-c", "touch \"$0\"", ran.toString()).build();

        assertThatThrownBy(() -> platform.spawn(request(spec, scope)))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("/bin/sh")
                .hasMessageContaining("could not enter its session's cgroup");
        assertThat(ran).as("the command never ran").doesNotExist();

        // The failure did not stick: the next spawn runs, inside its cgroup.
        SessionScope next = platform.createScope(new ScopeKey(instance, "next"));
        ProcessSpec cat = ProcessSpec.builder("/bin/cat", "/proc/self/cgroup").stdout(Stdio.pipe()).build();
        var process = platform.spawn(request(cat, next));
        String out = new String(process.stdout().orElseThrow().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.onExit().get()).isEqualTo(new Exit.Exited(0));
        assertThat(out.lines()).contains("0::" + cgroupRelative(next.cgroup().orElseThrow()));
        next.release();
    }

    @Test
    void theGuardianReleasesChildrenHeldWhenTheirJvmDiedAndTheyFailAtTheirTicket() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("held"));
        Path ran = tmp.resolve("ran");
        gate(dir, 1);
        gate(dir, 2);
        Process atArrive = heldChild(dir, 1, ran, true);
        Process atHold = heldChild(dir, 2, ran, false);
        await().atMost(CLEANUP).until(() -> waitsInOpen(atArrive) && waitsInOpen(atHold));

        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", GuardianProcess.SCRIPT, "tether-guardian", instance, "-", "-",
                dir.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process guardian = pb.start();
        started.add(guardian);
        guardian.getOutputStream().close(); // its JVM died

        await().atMost(CLEANUP).until(() -> !atArrive.isAlive() && !atHold.isAlive());
        assertThat(List.of(atArrive.exitValue(), atHold.exitValue())).as("failed at the missing ticket").doesNotContain(0);
        assertThat(ran).as("neither ran its command").doesNotExist();
        await().atMost(Duration.ofSeconds(6)).until(() -> !guardian.isAlive());
        assertThat(dir).as("the gates are removed").doesNotExist();
    }

    @Test
    void aLaterJvmReleasesWhatADeadJvmAndItsGuardianLeftHeld() throws Exception {
        // Named as a JVM with this pid but another start time: a JVM that is gone.
        Path dir = Files.createTempDirectory(HeldSpawns.DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-1-");
        try {
            Path ran = tmp.resolve("ran");
            gate(dir, 1);
            Process held = heldChild(dir, 1, ran, false);
            await().atMost(CLEANUP).until(() -> waitsInOpen(held));

            HeldSpawns.releaseAbandoned();

            await().atMost(CLEANUP).until(() -> !held.isAlive());
            assertThat(held.exitValue()).as("failed at the missing ticket").isNotZero();
            assertThat(ran).as("it never ran its command").doesNotExist();
            assertThat(dir).as("the gates are removed").doesNotExist();
        } finally {
            removeDirectory(dir);
        }
    }

    @Test
    void gatesWhoseJvmStillHoldsTheirLockAreLeftAloneWhateverTheirNameSays() throws Exception {
        // Named after a pid that is not running here, as a JVM in another pid namespace sharing
        // this temporary directory looks; but something still holds the owner lock (an fcntl lock,
        // as the JVM's own): a live owner.
        Path dir = Files.createTempDirectory(HeldSpawns.DIRECTORY_PREFIX + "999999999-1-");
        try {
            gate(dir, 1);
            Path lock = Files.createFile(dir.resolve(HeldSpawns.OWNER_LOCK));
            Process owner = new ProcessBuilder("python3", "-c", "import fcntl, sys, time\n"
                    + "f = open(sys.argv[1], 'w'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(300)",
                    lock.toString()).redirectErrorStream(true).start();
            started.add(owner);
            assertThat(new String(owner.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("locked");

            HeldSpawns.releaseAbandoned();
            assertThat(dir.resolve("1.ticket")).as("a live owner's ticket").exists();

            owner.destroyForcibly().waitFor();
            HeldSpawns.releaseAbandoned();
            assertThat(dir).as("a dead owner's gates are removed").doesNotExist();
        } finally {
            removeDirectory(dir);
        }
    }

    /** A gate directory a test made, with what is left in it. */
    private static void removeDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private SpawnRequest request(ProcessSpec spec, SessionScope scope) {
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", ProcessSpec.INSTANCE_MARKER, instance);
        return new SpawnRequest(spec, Path.of(spec.argv().get(0)), env, tmp, scope);
    }

    /** The cgroup as /proc/self/cgroup names it: relative to the cgroup2 mount. */
    private static String cgroupRelative(String cgroup) {
        Path dir = Path.of(cgroup);
        Path mount = dir;
        while (mount.getParent() != null && Files.exists(mount.getParent().resolve("cgroup.procs"))) {
            mount = mount.getParent();
        }
        return "/" + mount.relativize(dir);
    }

    /** A gate as HeldSpawns makes it: two FIFOs and a ticket. */
    private static void gate(Path dir, int n) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            for (String fifo : List.of(n + ".arrive", n + ".hold")) {
                assertThat(LibC.mkfifo(arena.allocateFrom(dir.resolve(fifo).toString()), 0600)).isZero();
            }
        }
        Files.createFile(dir.resolve(n + ".ticket"));
    }

    /**
     * A child doing what a held spawn's file actions do, with nobody left to release it: open
     * arrive for writing (which blocks without a reader) and close it, open hold for reading
     * (which blocks without a writer), open the ticket; only then run its command, which records
     * that it ran.
     */
    private Process heldChild(Path dir, int n, Path ran, boolean fromArrive) throws IOException {
        String script = (fromArrive ? "exec 3>\"$0/$1.arrive\"; exec 3>&-; " : "")
                + "exec 3<\"$0/$1.hold\"; exec 3<\"$0/$1.ticket\"; exec 3<&-; touch \"$2\"; exec sleep 300";
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script, dir.toString(), Integer.toString(n), ran.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove(ProcessSpec.INSTANCE_MARKER); // as a held child: its JVM's environment, no marker
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Whether the process sleeps in open(2) on a FIFO (its kernel wait channel names the FIFO wait). */
    private static boolean waitsInOpen(Process p) throws IOException {
        Path wchan = Path.of("/proc", Long.toString(p.pid()), "wchan");
        return p.isAlive() && Files.readString(wchan).contains("partner");
    }
}
