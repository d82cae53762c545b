package dev.tether.registry;

import dev.tether.ProcessId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of a supervisor: the process that owned sessions, so that after it dies a
 * reconciliation can tell its sessions are orphans ({@code process} no longer alive) and close them.
 *
 * @param id        the instance id, unique per supervisor run
 * @param process   the supervisor process: boot id, pid, start time
 * @param host      host name it ran on
 * @param user      user name it ran as
 * @param startedAt when it started
 * @param endedAt   when it ended cleanly; empty while it runs, or if it died without saying so
 */
public record InstanceRecord(String id, ProcessId process, String host, String user, Instant startedAt,
                             Optional<Instant> endedAt) {
    public InstanceRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
    }

    /** A supervisor run that has just started. */
    public static InstanceRecord started(String id, ProcessId process, String host, String user, Instant at) {
        return new InstanceRecord(id, process, host, user, at, Optional.empty());
    }
}
