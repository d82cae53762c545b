package dev.tether.registry;

import dev.tether.ProcessId;
import dev.tether.internal.Ids;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Rows to record, with times exact to the nanosecond so round trips can compare them whole. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00.123456789Z");
    static final String BOOT = "6f1c2a9e-0d4b-4b8e-9f3a-2c7d5e8a1b40";
    /** Short, so tests that expect LOCKED do not wait the default 5 s. */
    static final Duration SHORT_BUSY = Duration.ofMillis(200);

    private Fixtures() {}

    static InstanceRecord instance(String id) {
        return InstanceRecord.started(id, new ProcessId(BOOT, 4242, 987_654_321L), "host-a", "alice", T0);
    }

    static SessionIntent intent(String id, String instanceId) {
        return new SessionIntent(id, instanceId, "web-" + id, List.of("python3", "-m", "http.server", "8000"),
                Path.of("/srv/app"), Set.of("web"), "TETHER_SESSION=" + id, OptionalInt.empty(),
                Optional.empty(), Optional.empty(), T0.plusMillis(1));
    }

    static SessionIntent intentWithPort(String id, String instanceId, int port) {
        SessionIntent i = intent(id, instanceId);
        return new SessionIntent(i.id(), i.instanceId(), i.name(), i.argv(), i.cwd(), i.tags(), i.marker(),
                OptionalInt.of(port), i.directory(), i.cgroup(), i.createdAt());
    }

    static String freshId() {
        return Ids.next();
    }

    static Path dbIn(Path dir) {
        return dir.resolve("home").resolve("registry.db");
    }
}
