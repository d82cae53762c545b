package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tether.registry.SessionFilter;
import dev.tether.testkit.Chaos;
import dev.tether.testkit.Leaks;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A start whose registry row cannot be written fails with the registry's error and leaves
 * nothing running and nothing recorded, whether the row was to come before the spawn (an intent:
 * a session with a port, or any at PORTABLE level) or in one write after it (a session that
 * reserves nothing, whose spawned tree must then be killed).
 */
class UnrecordableStartIT {
    @TempDir
    Path home;
    private final String tag = Chaos.newTag("unrecorded");

    @AfterEach
    void nothingSurvives() {
        int left = Chaos.survivors(tag);
        Chaos.reap(tag);
        assertThat(left).as("tagged processes left by the failed start").isZero();
    }

    @ParameterizedTest
    @EnumSource(Containment.class)
    void aStartThatCannotBeRecordedLeavesNothing(Containment level) throws SQLException {
        TestLevels.assumeAvailable(level);
        for (boolean withPort : new boolean[] {false, true}) {
            try (Supervisor sup = Supervisor.builder().home(home.resolve(level + "-" + withPort)).containment(level)
                    .guardian(false).shutdownHook(false).open()) {
                forgetInstance(sup); // the sessions row now violates its foreign key: every insert fails
                ProcessSpec.Builder spec = ProcessSpec.builder("sh", "-c", "sleep 60 & exec sleep 60").env("CHAOS_TAG", tag)
                        .stdout(Stdio.discard()).stderr(Stdio.discard());
                Throwable t = catchThrowable(() -> sup.start((withPort ? spec.port(PortRequest.any()) : spec).build()));

                String what = level + (withPort ? " with a port" : " reserving nothing");
                assertThat(t).as(what).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("instance " + sup.instanceId() + " is not recorded");
                assertThat(sup.sessions()).as(what).isEmpty();
                assertThat(Leaks.ofInstance(sup.instanceId())).as("processes of " + what).isEmpty();
                assertThat(sup.registry().orElseThrow().sessions(SessionFilter.all())).as("rows of " + what).isEmpty();
            }
        }
    }

    /** Deletes this supervisor's instance row behind its back, over a connection of the test's own. */
    private static void forgetInstance(Supervisor sup) throws SQLException {
        Path file = sup.registry().orElseThrow().file();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement ps = c.prepareStatement("DELETE FROM instances WHERE id = ?")) {
            ps.setString(1, sup.instanceId());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }
}
