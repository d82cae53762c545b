package dev.tether.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.PortOwner;
import dev.tether.Ports;
import dev.tether.ProcessSpec;
import dev.tether.ReadinessProbe;
import dev.tether.Session;
import dev.tether.junit5.fixtures.ChaosServices;
import dev.tether.testkit.Chaos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension used directly, with the chaos scenarios as services (a deep tree, a double-forked
 * escapee, a port holder). An outer extension, registered first and so run last, proves after the
 * services' stop that nothing of them survives and the port is free.
 */
class TetherExtensionIT {
    private static final String TAG = Chaos.newTag("direct");
    private static final Set<String> SESSIONS = ConcurrentHashMap.newKeySet();
    private static final Set<Integer> PORTS = ConcurrentHashMap.newKeySet();

    @RegisterExtension
    @Order(1)
    static final AfterAllCallback nothingLeft = context -> {
        for (String t : List.of(TAG + "-tree", TAG + "-escapee", TAG + "-holder", TAG)) {
            Leftovers.assertNoSurvivors(t);
        }
        Leftovers.assertSessionsGone(SESSIONS);
        PORTS.forEach(port -> assertThat(Ports.isFree(port)).as("port %d strictly free", port).isTrue());
    };

    @RegisterExtension
    @Order(2)
    static final TetherExtension services = TetherExtension.builder()
            .service("tree", ChaosServices.deepTree(TAG + "-tree"))
            .service("escapee", ChaosServices.escapee(TAG + "-escapee"))
            .service("holder", ChaosServices.portHolder(TAG + "-holder"))
            .service("announcer", ProcessSpec.builder("sh", "-c", "echo \"holder listens on $HOLDER_PORT\"; exec sleep 600")
                    .env("CHAOS_TAG", TAG).build(), ReadinessProbe.logLine("holder listens on \\d+", Duration.ofSeconds(10)))
            .build();

    private final Services injected;

    TetherExtensionIT(Services services) {
        this.injected = services;
    }

    @BeforeAll
    static void servicesAreReadyBeforeAll(Services services) {
        services.names().forEach(n -> SESSIONS.add(services.session(n).id()));
        PORTS.add(services.port("holder"));
        assertThat(services.names()).containsExactly("tree", "escapee", "holder", "announcer");
        assertThat(Ports.isFree(services.port("holder"))).as("the holder listens (its TCP probe passed)").isFalse();
    }

    @Test
    void everyServiceRunsItsWholeTree() {
        int port = injected.port("holder");
        await().atMost(Duration.ofSeconds(30)).until(() -> Chaos.survivors(TAG + "-tree") == 121
                && Chaos.survivors(TAG + "-escapee") == 2 && Chaos.portHeld(port));
    }

    @Test
    void injectsPortsSessionsAndLogs(@ServicePort("holder") int port, @ServiceSession("holder") Session holder,
                                     @ServiceLog("holder") Path log) {
        assertThat(holder.port()).hasValue(port);
        assertThat(holder.name()).isEqualTo("holder");
        assertThat(Ports.owners(port)).extracting(PortOwner::session).containsOnly(java.util.Optional.of(holder.id()));
        assertThat(log).isEqualTo(Path.of("target", "tether-services", TetherExtensionIT.class.getName(), "holder.log")
                .toAbsolutePath()).exists();
        assertThat(injected.uri("holder").toString()).isEqualTo("http://127.0.0.1:" + port);
    }

    @Test
    void laterServicesFindEarlierPortsInTheirEnvironment(@ServiceLog("announcer") Path log, @ServicePort("holder") int port)
            throws IOException {
        assertThat(Files.readString(log)).isEqualTo("holder listens on " + port + "\n");
    }
}
