package dev.tether.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Ports;
import dev.tether.testkit.Chaos;
import dev.tether.testkit.Leaks;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Collection;

/** Assertions, from outside the extension, that what it started is gone. */
final class Leftovers {
    private Leftovers() {}

    /** No live process carries any of these session markers. */
    static void assertSessionsGone(Collection<String> sessionIds) {
        assertThat(sessionIds).as("the fixture recorded its sessions").isNotEmpty();
        for (String id : sessionIds) {
            assertThat(Leaks.withEnv("TETHER_SESSION", id)).as("processes of session %s", id).isEmpty();
        }
    }

    /** Nobody listens on the port and a server can bind it (as servers do, with SO_REUSEADDR). */
    static void assertPortReusable(int port) {
        assertThat(Ports.owners(port)).as("listeners on port %d", port).isEmpty();
        try (ServerSocket s = new ServerSocket(port)) {
            assertThat(s.getLocalPort()).isEqualTo(port);
        } catch (IOException e) {
            throw new AssertionError("port " + port + " cannot be bound again: " + e.getMessage(), e);
        }
    }

    /** Counts the tag's survivors, reaps them as a safety net, and asserts there were none. */
    static void assertNoSurvivors(String tag) {
        int left = Chaos.survivors(tag);
        Chaos.reap(tag);
        assertThat(left).as("processes tagged %s left", tag).isZero();
    }
}
