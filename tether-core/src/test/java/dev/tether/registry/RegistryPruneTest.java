package dev.tether.registry;

import static dev.tether.registry.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.Exit;
import dev.tether.ProcessId;
import dev.tether.SessionState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Registry#pruneEnded}: what is over goes, by age and by count; nothing live is touched. */
class RegistryPruneTest {
    @TempDir
    Path dir;
    Registry registry;

    @BeforeEach
    void open() {
        registry = Registry.open(Fixtures.dbIn(dir));
        registry.recordInstance(Fixtures.instance("inst-a"));
    }

    @AfterEach
    void close() {
        registry.close();
    }

    /** Records a session that ended {@code endedAt}. */
    private void ended(String id, String instance, Instant endedAt) {
        registry.insertSessionIntent(Fixtures.intent(id, instance));
        registry.markSessionRunning(id, new ProcessId(Fixtures.BOOT, 100, 1), T0);
        assertThat(registry.markSessionEnded(id, SessionState.EXITED, Optional.of(new Exit.Exited(0)), Optional.empty(),
                endedAt)).isTrue();
    }

    private List<String> ids() {
        return registry.sessions(SessionFilter.all()).stream().map(SessionRecord::id).sorted().toList();
    }

    @Test
    void keepsTheNewestEndedAndEveryLiveRowHoweverOld() {
        for (int i = 0; i < 6; i++) {
            ended("e" + i, "inst-a", T0.plusSeconds(10 + i));
        }
        registry.insertSessionIntent(Fixtures.intent("starting", "inst-a")); // created at T0, before every end
        registry.insertSessionIntent(Fixtures.intent("running", "inst-a"));
        registry.markSessionRunning("running", new ProcessId(Fixtures.BOOT, 200, 2), T0);

        PrunedRows pruned = registry.pruneEnded(T0, 2); // nothing is older than T0: only the count applies

        assertThat(pruned).isEqualTo(new PrunedRows(4, 0));
        assertThat(ids()).containsExactly("e4", "e5", "running", "starting");
        assertThat(registry.pruneEnded(T0, 2).none()).isTrue();
    }

    @Test
    void dropsWhatEndedBeforeTheCutoffEvenUnderTheCount() {
        ended("old", "inst-a", T0.plusSeconds(1));
        ended("edge", "inst-a", T0.plusSeconds(5));
        ended("new", "inst-a", T0.plusSeconds(9));

        assertThat(registry.pruneEnded(T0.plusSeconds(5), 100).sessions()).isEqualTo(1); // strictly before the cutoff

        assertThat(ids()).containsExactly("edge", "new");
    }

    @Test
    void keepsExactlyTheCountWhenEndsTie() {
        for (String id : List.of("a", "b", "c", "d")) {
            ended(id, "inst-a", T0.plusSeconds(3)); // the same end: the id orders them
        }

        assertThat(registry.pruneEnded(T0, 3).sessions()).isEqualTo(1);

        assertThat(ids()).containsExactly("b", "c", "d");
    }

    @Test
    void keepingNoneRemovesEveryEndedRow() {
        ended("e1", "inst-a", T0.plusSeconds(1));
        registry.insertSessionIntent(Fixtures.intent("live", "inst-a"));

        assertThat(registry.pruneEnded(T0, 0).sessions()).isEqualTo(1);

        assertThat(ids()).containsExactly("live");
    }

    @Test
    void prunesMoreThanABatchInBatches() {
        int n = SessionTable.PRUNE_BATCH * 2 + 7;
        for (int i = 0; i < n; i++) {
            ended(String.format("s%05d", i), "inst-a", T0.plusMillis(i));
        }

        assertThat(registry.pruneEnded(T0, 10).sessions()).isEqualTo(n - 10);

        assertThat(ids()).hasSize(10).first().isEqualTo(String.format("s%05d", n - 10));
    }

    @Test
    void instancesGoOnceEndedBeforeTheCutoffAndNamedByNoRow() {
        for (String id : List.of("inst-b", "inst-c", "inst-d", "inst-e")) {
            registry.recordInstance(Fixtures.instance(id));
        }
        ended("b1", "inst-b", T0.plusSeconds(1)); // inst-b: ended, its only session pruned below
        ended("c1", "inst-c", T0.plusSeconds(9)); // inst-c: ended, its session kept
        registry.markInstanceEnded("inst-b", T0.plusSeconds(2));
        registry.markInstanceEnded("inst-c", T0.plusSeconds(3));
        registry.markInstanceEnded("inst-d", T0.plusSeconds(3)); // inst-d: ended without sessions, before the cutoff
        registry.markInstanceEnded("inst-e", T0.plusSeconds(8)); // inst-e: the same, after it

        PrunedRows pruned = registry.pruneEnded(T0.plusSeconds(5), 100);

        assertThat(pruned).isEqualTo(new PrunedRows(1, 2));
        assertThat(registry.instances(InstanceFilter.all()).stream().map(InstanceRecord::id))
                .containsExactly("inst-a", "inst-c", "inst-e"); // inst-a is live, though it has no session left
    }

    @Test
    void aNegativeCountIsRefusedNamingTheArgument() {
        assertThatThrownBy(() -> registry.pruneEnded(T0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepNewest");
    }

    @Test
    void extremeCutoffsNeitherOverflowNorPruneLiveRows() {
        ended("e1", "inst-a", T0.plusSeconds(1));
        registry.insertSessionIntent(Fixtures.intent("live", "inst-a"));

        assertThat(registry.pruneEnded(Instant.MIN, 5).none()).isTrue();
        assertThat(registry.pruneEnded(Instant.MAX, 5).sessions()).isEqualTo(1);

        assertThat(ids()).containsExactly("live");
    }
}
