package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.registry.RegistryException;
import dev.tether.testkit.Chaos;
import dev.tether.testkit.ChildJvm;
import dev.tether.testkit.CrashDriver;
import dev.tether.testkit.Leaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Supervisors never touch each other's sessions, whether on separate homes or on one; a registry
 * that cannot be used stops a supervisor from opening, before anything is started.
 */
class IsolationIT {
    @TempDir
    Path tmp;
    private final String tag = Chaos.newTag("iso");

    @AfterEach
    void nothingSurvives() {
        int left = Chaos.survivors(tag);
        Chaos.reap(tag);
        assertThat(left).isZero();
    }

    private ProcessSpec sleeper() {
        return ProcessSpec.builder("sleep", "300").env("CHAOS_TAG", tag).port(PortRequest.any()).sessionDirectory().build();
    }

    @Test
    void twoInstancesOnOneHomeNeverTouchEachOther() {
        Path home = tmp.resolve("home");
        try (Supervisor a = Supervisor.builder().home(home).shutdownHook(false).open();
             Supervisor b = Supervisor.builder().home(home).shutdownHook(false).open()) {
            Session sa = a.start(sleeper());
            Session sb = b.start(sleeper());
            // b reconciles and cleans orphans: a is alive, so its session is not b's business.
            assertThat(b.reconcile().sessionsLost()).isZero();
            OrphanReport orphans = b.cleanupOrphans(false);
            assertThat(orphans.processes()).extracting(p -> p.session().orElse("")).doesNotContain(sa.id());
            assertThat(sa.processId().isAlive()).isTrue();
            assertThat(sa.directory().orElseThrow()).isDirectory();
            b.close();
            assertThat(sb.processId().isAlive()).isFalse();
            assertThat(sa.processId().isAlive()).as("a's session survives b's close").isTrue();
            assertThat(sa.port().getAsInt()).isNotEqualTo(sb.port().getAsInt());
        }
    }

    @Test
    void separateHomesNeverTouchEachOther() {
        try (Supervisor a = Supervisor.builder().home(tmp.resolve("a")).shutdownHook(false).open();
             Supervisor b = Supervisor.builder().home(tmp.resolve("b")).shutdownHook(false).open()) {
            Session sa = a.start(sleeper());
            b.reconcile();
            b.cleanupOrphans(false);
            b.close();
            assertThat(sa.processId().isAlive()).isTrue();
            assertThat(Leaks.ofInstance(a.instanceId())).hasSize(1);
        }
    }

    @Test
    void aLiveSupervisorWithoutGuardianOnAnotherHomeIsNotAnOrphan() {
        // No guardian and no shared registry: only the supervisor identity its processes carry
        // tells another home that it lives.
        try (Supervisor a = Supervisor.builder().home(tmp.resolve("a")).guardian(false).shutdownHook(false).open();
             Supervisor b = Supervisor.builder().home(tmp.resolve("b")).shutdownHook(false).open()) {
            Session sa = a.start(sleeper());
            OrphanReport dry = b.cleanupOrphans(true);
            assertThat(dry.processes()).extracting(p -> p.session().orElse("")).doesNotContain(sa.id());
            b.cleanupOrphans(false);
            assertThat(sa.processId().isAlive()).as("a lives, so its session is nobody's orphan").isTrue();
        }
    }

    @Test
    void aDeadInstanceOnAnotherHomeIsNotReconciledHere() throws Exception {
        // An instance killed with its guardian leaves processes; a supervisor on another home
        // must leave them to that home's reconciliation (or an explicit orphan cleanup).
        Path homeA = tmp.resolve("a");
        String prefix = Chaos.newTag("iso-dead");
        String instance;
        try (ChildJvm child = ChildJvm.start(CrashDriver.class, Map.of("TETHER_HOME", homeA.toString()), List.of("churn", prefix))) {
            String[] started = child.awaitLine("started", Duration.ofSeconds(30)).split(" ");
            instance = started[1];
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !Leaks.ofInstance(instance).isEmpty());
            new ProcessBuilder("kill", "-KILL", Long.toString(child.pid()), started[2]).inheritIO().start().waitFor();
            child.waitFor(Duration.ofSeconds(10));
        }
        try {
            List<Long> left = Leaks.ofInstance(instance);
            assertThat(left).isNotEmpty();
            try (Supervisor b = Supervisor.builder().home(tmp.resolve("b")).guardian(false).shutdownHook(false).open()) {
                assertThat(b.reconcile().sessionsLost()).isZero();
                assertThat(Leaks.ofInstance(instance)).containsExactlyInAnyOrderElementsOf(left);
            }
            try (Supervisor a = Supervisor.builder().home(homeA).guardian(false).shutdownHook(false).open()) {
                assertThat(Leaks.ofInstance(instance)).as("its own home's reconciliation stops them").isEmpty();
            }
        } finally {
            Chaos.reap(prefix);
        }
    }

    @Test
    void corruptRegistryRefusesToOpenAndStartsNothing() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("corrupt"));
        byte[] junk = new byte[8192];
        new Random(7).nextBytes(junk);
        Files.write(home.resolve("registry.db"), junk);
        List<Long> guardiansBefore = guardianChildren();
        assertThatThrownBy(() -> Supervisor.builder().home(home).shutdownHook(false).open())
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(home.resolve("registry.db").toString())
                .hasMessageContaining("corrupt");
        assertThat(guardianChildren()).as("no guardian (or anything) was started").isEqualTo(guardiansBefore);
    }

    /** This JVM's live children that are guardians. */
    private static List<Long> guardianChildren() {
        return ProcessHandle.current().children().filter(h -> {
            try {
                return new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "environ")))
                        .contains("TETHER_GUARDIAN=");
            } catch (java.io.IOException e) {
                return false;
            }
        }).map(ProcessHandle::pid).sorted().toList();
    }

    @Test
    void lockedRegistryRefusesToOpen() throws Exception {
        Path home = tmp.resolve("locked");
        try (Supervisor a = Supervisor.builder().home(home).guardian(false).shutdownHook(false).open()) {
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve("registry.db"));
                 var st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout=0");
                st.execute("BEGIN EXCLUSIVE");
                assertThatThrownBy(() -> Supervisor.builder().home(home).shutdownHook(false)
                        .settings(TetherSettings.load(Map.of("TETHER_HOME", home.toString()), Map.of())).open())
                        .isInstanceOf(RegistryException.class)
                        .hasMessageContaining("locked");
                st.execute("ROLLBACK");
            }
        }
    }
}
