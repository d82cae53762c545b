package dev.tether.junit5;

import dev.tether.Session;
import java.nio.file.Path;
import java.util.Optional;

/** A started service: what was asked for, the session running it, and where its output goes. */
record RunningService(ServiceSpec spec, Session session, Optional<Path> log) {
    String name() {
        return spec.name();
    }
}
