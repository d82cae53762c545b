package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.testkit.Chaos;
import dev.tether.testkit.Leaks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The supervisor is a child subreaper and reaps re-parented orphans, without ever taking the exit
 * status of a {@link Process} started elsewhere in the same JVM.
 */
class ReaperIT {

    @Test
    void jdkProcessExitStatusesStayIntactWhileTetherReaps() throws Exception {
        String tag = Chaos.newTag("reaper");
        try (Supervisor sup = Supervisor.builder().shutdownHook(false).open();
             ExecutorService pool = Executors.newFixedThreadPool(4)) {
            // Keep orphans coming while the JDK's processes exit: a zombie-maker whose zombies
            // re-parent to this JVM when it is stopped, repeatedly.
            List<Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                codes.add(pool.submit(() -> new ProcessBuilder("/bin/sh", "-c", "exit 42").start().waitFor()));
                if (i % 50 == 0) {
                    Session s = sup.start(ProcessSpec.builder(Chaos.command("zombie-maker", tag, 5))
                            .stdout(Stdio.discard()).build());
                    await().atMost(Duration.ofSeconds(10)).until(() -> Chaos.zombies(tag) == 5);
                    s.stop();
                }
            }
            for (Future<Integer> f : codes) {
                assertThat(f.get()).isEqualTo(42);
            }
            assertThat(Leaks.ofInstance(sup.instanceId())).isEmpty();
        } finally {
            Chaos.reap(tag);
        }
        assertThat(Chaos.survivors(tag)).isZero();
    }

    @Test
    void doubleForkedDaemonIsReapedNotLeftAsZombie() {
        String tag = Chaos.newTag("orphan");
        try (Supervisor sup = Supervisor.builder().shutdownHook(false).open()) {
            Session s = sup.start(ProcessSpec.builder(Chaos.command("double-fork-setsid", tag)).stdout(Stdio.discard()).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> Chaos.survivors(tag) == 2);
            long daemonParent = s.members().stream().filter(m -> m.pid() != s.pid()).findFirst().orElseThrow().parentPid();
            if (LinuxPlatformCheck.subreaper()) {
                assertThat(daemonParent).as("the escapee re-parented to this JVM, the subreaper")
                        .isEqualTo(ProcessHandle.current().pid());
            }
            s.stop();
            assertThat(Chaos.survivors(tag)).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> zombieChildrenOfThisJvm().isEmpty());
        } finally {
            Chaos.reap(tag);
        }
    }

    /** Zombie children of this JVM, from /proc/self/task/{@literal *}/children. */
    static List<Long> zombieChildrenOfThisJvm() throws IOException {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                String children;
                try {
                    children = Files.readString(t.resolve("children"), StandardCharsets.US_ASCII).trim();
                } catch (IOException e) {
                    continue;
                }
                for (String c : children.split(" ")) {
                    if (c.isEmpty()) {
                        continue;
                    }
                    try {
                        String stat = Files.readString(Path.of("/proc", c, "stat"), StandardCharsets.ISO_8859_1);
                        if (stat.charAt(stat.lastIndexOf(')') + 2) == 'Z') {
                            out.add(Long.parseLong(c));
                        }
                    } catch (IOException e) {
                        // reaped meanwhile
                    }
                }
            }
        }
        return out;
    }

    /** Whether the Linux backend made this JVM a subreaper. */
    static final class LinuxPlatformCheck {
        static boolean subreaper() {
            return dev.tether.linux.LinuxPlatform.usable() && dev.tether.linux.LinuxPlatform.create(false).isSubreaper();
        }
    }
}
