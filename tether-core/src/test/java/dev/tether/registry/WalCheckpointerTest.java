package dev.tether.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's log is copied into its database file while it stays open, by the background
 * checkpointer, well before SQLite's own automatic checkpoint would ({@link Database#AUTOCHECKPOINT_PAGES}).
 */
class WalCheckpointerTest {
    private static final String THREAD = "tether-registry-checkpoint";

    @TempDir
    Path dir;

    @Test
    void commitsReachTheDatabaseFileWithoutACheckpointInAnyCommit() throws Exception {
        Path file = Fixtures.dbIn(dir);
        try (Registry registry = Registry.open(file)) {
            registry.recordInstance(Fixtures.instance("inst-a"));
            long before = Files.size(file);
            // Enough commits for two background requests, far fewer pages than the automatic threshold.
            for (int i = 0; i < 2 * Database.CHECKPOINT_EVERY_COMMITS; i++) {
                registry.insertSessionIntent(Fixtures.intent("s" + i, "inst-a"));
            }
            assertThat(walPages(file)).isLessThan(Database.AUTOCHECKPOINT_PAGES);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(Files.size(file)).as("database file size").isGreaterThan(before));
            assertThat(registry.session("s" + (2 * Database.CHECKPOINT_EVERY_COMMITS - 1))).isPresent();
        }
    }

    @Test
    void closingStopsTheCheckpointThread() {
        Path file = Fixtures.dbIn(dir);
        try (Registry registry = Registry.open(file)) {
            registry.recordInstance(Fixtures.instance("inst-a"));
            for (int i = 0; i < Database.CHECKPOINT_EVERY_COMMITS; i++) {
                registry.insertSessionIntent(Fixtures.intent("s" + i, "inst-a"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> checkpointThreads() > 0);
        }
        assertThat(checkpointThreads()).isZero();
    }

    @Test
    void aRegistryThatNeverCommittedEnoughStartsNoThread() {
        Path file = Fixtures.dbIn(dir);
        long running = checkpointThreads();
        try (Registry registry = Registry.open(file)) {
            registry.recordInstance(Fixtures.instance("inst-a"));
            assertThat(checkpointThreads()).isEqualTo(running);
        }
    }

    private static long walPages(Path db) throws Exception {
        Path wal = db.resolveSibling(db.getFileName() + "-wal");
        return Files.exists(wal) ? Files.size(wal) / 4096 : 0;
    }

    private static long checkpointThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(THREAD) && t.isAlive()).count();
    }
}
