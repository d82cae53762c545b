package dev.tether;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.registry.SessionFilter;
import dev.tether.registry.SessionRecord;
import dev.tether.testkit.Chaos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry forgets ended sessions beyond {@code keep_ended} at every reconciliation (the one a
 * supervisor runs at open included), and never a live one.
 */
class RegistryRetentionIT {
    @TempDir
    Path tmp;
    private final String tag = Chaos.newTag("keep");

    @AfterEach
    void nothingSurvives() {
        int left = Chaos.survivors(tag);
        Chaos.reap(tag);
        assertThat(left).isZero();
    }

    private static List<String> recordedIds(Supervisor sup) {
        return sup.registry().orElseThrow().sessions(SessionFilter.all()).stream().map(SessionRecord::id).toList();
    }

    @Test
    void onlyTheNewestEndedSessionsAndEveryLiveOneAreKept() throws Exception {
        TetherSettings settings = TetherSettings.load(Map.of("TETHER_HOME", tmp.resolve("home").toString()),
                Map.of("keep_ended", "3", "reconcile_interval", "0s"));
        List<String> ended = new ArrayList<>();
        String live;
        try (Supervisor sup = Supervisor.builder().settings(settings).shutdownHook(false).open()) {
            live = sup.start(ProcessSpec.builder("sleep", "300").env("CHAOS_TAG", tag).build()).id();
            for (int i = 0; i < 6; i++) {
                Session s = sup.start(ProcessSpec.builder("true").env("CHAOS_TAG", tag).build());
                assertThat(s.onStopped().get(10, SECONDS).clean()).isTrue();
                ended.add(s.id());
            }
            assertThat(recordedIds(sup)).hasSize(7);

            ReconcileReport report = sup.reconcile();

            assertThat(report.rowsPruned()).isEqualTo(3);
            assertThat(recordedIds(sup)).containsExactlyInAnyOrder(live, ended.get(3), ended.get(4), ended.get(5));
        } // the close stops the sleeper: its session is now the newest ended one

        try (Supervisor next = Supervisor.builder().settings(settings).shutdownHook(false).open()) {
            assertThat(recordedIds(next)).as("pruned by the reconciliation at open")
                    .containsExactlyInAnyOrder(live, ended.get(4), ended.get(5));
        }
    }
}
