package dev.tether.app.daemon;

import dev.tether.ProcessSpec;
import dev.tether.ReadinessProbe;
import dev.tether.client.api.SessionRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the daemon needs to run a requested session, checked: the spec of every run, its
 * readiness probe, restart policy, idle timeout and the file its output goes to.
 */
record SessionPlan(SessionRequest request, ProcessSpec spec, Optional<ReadinessProbe> probe, Restart restart,
                   Optional<Duration> idleTimeout, Path logFile) {}
