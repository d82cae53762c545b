package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tether.testkit.Chaos;
import dev.tether.testkit.Leaks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Ports} against real listeners: a supervised python server is found with its session and
 * the port is free once the session is stopped; this JVM's own socket is found too.
 */
class PortsIT {
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration GRACE = Duration.ofSeconds(5);
    /** The wall clock of /proc start times is rounded to whole seconds of the boot time. */
    private static final Duration CLOCK_SLACK = Duration.ofSeconds(2);
    /** Seconds a hand-made test server lives at most, should every cleanup fail. */
    private static final int TTL_SECONDS = 300;

    private final List<String> tags = new ArrayList<>();
    private final List<String> instances = new ArrayList<>();

    private Supervisor open() {
        Supervisor s = Supervisor.builder().shutdownHook(false).open();
        instances.add(s.instanceId());
        return s;
    }

    private String tag(String what) {
        String t = Chaos.newTag(what);
        tags.add(t);
        return t;
    }

    private static ProcessSpec.Builder quiet(List<String> argv) {
        return ProcessSpec.builder(argv).grace(GRACE).stdout(Stdio.discard()).stderr(Stdio.discard());
    }

    /** Waits until something listens on the port (bound is not enough: listen() follows bind()). */
    private static void awaitListener(int port) {
        await().atMost(SETTLE).until(() -> !Ports.isFree(port) && !Ports.owners(port).isEmpty());
    }

    @AfterEach
    void nothingSurvives() {
        for (String t : tags) {
            int left = Chaos.survivors(t);
            Chaos.reap(t);
            assertThat(left).as("processes tagged %s left after the test", t).isZero();
        }
        for (String id : instances) {
            assertThat(Leaks.ofInstance(id)).as("processes of supervisor %s left after the test", id).isEmpty();
        }
    }

    @Test
    void supervisedServerIsFoundWithItsSessionAndThePortIsFreeAfterTheStop() {
        String tag = tag("ports");
        int port = Chaos.freePort();
        assertThat(Ports.isFree(port)).isTrue();
        assertThat(Ports.owners(port)).isEmpty();
        Instant before = Instant.now();
        try (Supervisor sup = open()) {
            Session s = sup.start(quiet(Chaos.command("port-holder", tag, port)).build());
            awaitListener(port);

            List<PortOwner> owners = Ports.owners(port);
            assertThat(owners).singleElement().satisfies(o -> {
                assertThat(o.port()).isEqualTo(port);
                assertThat(o.address()).isEqualTo("127.0.0.1");
                assertThat(o.command()).contains("python");
                assertThat(o.session()).hasValue(s.id());
                assertThat(o.id().isAlive()).isTrue();
                assertThat(o.process().parentPid()).as("the python child of the port-holder root").isEqualTo(s.pid());
                assertThat(o.user()).isEqualTo(System.getProperty("user.name"));
                assertThat(o.startedAt()).hasValueSatisfying(t -> assertThat(t)
                        .isBetween(before.minus(CLOCK_SLACK), Instant.now().plus(CLOCK_SLACK)));
            });
            assertThat(s.members()).extracting(ProcessInfo::id).contains(owners.getFirst().id());

            s.stop();
            assertThat(Chaos.survivors(tag)).isZero();
            assertThat(Ports.isFree(port)).as("port %d bindable after the stop", port).isTrue();
            assertThat(Chaos.portFree(port)).as("the kit's own probe agrees").isTrue();
            assertThat(Ports.owners(port)).isEmpty();
            assertThat(owners.getFirst().id().isAlive()).isFalse();
        }
    }

    @Test
    void aSocketSharedAfterForkHasBothProcessesAsOwners() {
        String tag = tag("fork");
        int port = Chaos.freePort();
        String server = """
                import os, socket, sys, time
                s = socket.socket()
                s.bind(("127.0.0.1", int(sys.argv[1])))
                s.listen(16)
                os.fork()
                time.sleep(float(sys.argv[2]))
                """;
        try (Supervisor sup = open()) {
            Session s = sup.start(quiet(List.of("/usr/bin/python3", "-c", server, String.valueOf(port), String.valueOf(TTL_SECONDS)))
                    .env("CHAOS_TAG", tag).build());
            await().atMost(SETTLE).until(() -> Ports.owners(port).size() == 2);

            List<PortOwner> owners = Ports.owners(port);
            assertThat(owners).extracting(PortOwner::session).containsOnly(Optional.of(s.id()));
            assertThat(owners).extracting(PortOwner::pid).contains(s.pid()).doesNotHaveDuplicates();
            assertThat(owners).filteredOn(o -> o.pid() != s.pid()).singleElement()
                    .satisfies(child -> assertThat(child.process().parentPid()).isEqualTo(s.pid()));

            s.stop();
            assertThat(Ports.isFree(port)).isTrue();
            assertThat(Ports.owners(port)).isEmpty();
        }
    }

    @Test
    void thisJvmsOwnSocketIsFoundWithoutASession() throws Exception {
        Optional<String> ownSession = Optional.ofNullable(System.getenv(ProcessSpec.SESSION_MARKER)); // empty unless the build runs under Tether
        int port;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = socket.getLocalPort();
            assertThat(Ports.isFree(port)).isFalse();
            assertThat(Ports.owners(port)).singleElement().satisfies(o -> {
                assertThat(o.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(o.id()).isEqualTo(ProcessId.current());
                assertThat(o.session()).isEqualTo(ownSession);
                assertThat(o.command()).contains("java");
                assertThat(o.address()).as("IPv4 socket, or the JDK's dual-stack IPv6 socket bound to 127.0.0.1")
                        .isIn("127.0.0.1", "::ffff:127.0.0.1");
            });
        }
        assertThat(Ports.isFree(port)).isTrue();
        assertThat(Ports.owners(port)).isEmpty();
    }

    @Test
    void aWildcardListenerHoldsThePortForEveryAddress() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            int port = socket.getLocalPort();
            assertThat(Ports.isFree(port)).isFalse();
            assertThat(Ports.owners(port)).singleElement().extracting(PortOwner::address).isIn("0.0.0.0", "::");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65_536})
    void invalidPortsAreRejected(int port) {
        assertThatThrownBy(() -> Ports.owners(port)).isInstanceOf(InvalidSpecException.class).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> Ports.isFree(port)).isInstanceOf(InvalidSpecException.class).hasMessageContaining("1..65535");
    }
}
