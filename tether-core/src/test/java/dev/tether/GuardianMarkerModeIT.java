package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.testkit.Chaos;
import dev.tether.testkit.ChildJvm;
import dev.tether.testkit.Leaks;
import dev.tether.testkit.MarkerModeDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guardian without cgroups: a supervisor at the process group + marker level is SIGKILLed;
 * within a second its guardian has killed session mains that cleared their environment (found
 * by identity and session, not marker), what shares their session, and a marked setsid escapee.
 */
class GuardianMarkerModeIT {
    @TempDir
    Path home;
    private final String tag = Chaos.newTag("marker-mode");
    private final List<ProcessId> mains = new ArrayList<>();

    @AfterEach
    void nothingSurvives() {
        int left = Chaos.survivors(tag);
        Chaos.reap(tag);
        // The mains carry no tag: if the guardian missed them, kill them by the identity recorded.
        List<ProcessId> leftMains = mains.stream().filter(ProcessId::isAlive).toList();
        leftMains.forEach(m -> ProcessHandle.of(m.pid()).ifPresent(ProcessHandle::destroyForcibly));
        assertThat(left).isZero();
        assertThat(leftMains).isEmpty();
    }

    @Test
    void guardianKillsMainsThatClearedTheirEnvironmentAndEscapees() throws Exception {
        String instance;
        try (ChildJvm child = ChildJvm.start(MarkerModeDriver.class, Map.of("TETHER_HOME", home.toString()), List.of(tag, "6"))) {
            String[] started = child.awaitLine("started", Duration.ofSeconds(60)).split(" ");
            instance = started[1];
            for (String m : started[3].split(",")) {
                String[] f = m.split(":");
                mains.add(new ProcessId(dev.tether.internal.Identities.bootId(), Long.parseLong(f[0]), Long.parseLong(f[1])));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> Chaos.survivors(tag) == 2
                    && mains.stream().allMatch(ProcessId::isAlive) && Leaks.ofInstance(instance).size() >= 6);
            assertThat(mains).hasSize(6);
            child.signal("KILL");
            child.waitFor(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
                assertThat(mains).as("mains without a marker").noneMatch(ProcessId::isAlive);
                assertThat(Chaos.survivors(tag)).as("the marked escapee").isZero();
                assertThat(Leaks.ofInstance(instance)).as("their marked children").isEmpty();
            });
        }
    }
}
