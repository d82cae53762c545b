package dev.tether.registry;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What is about to be started, recorded before anything is: every resource the session will own
 * (marker, cgroup, port, directory) is named here first, so a supervisor that dies at any instant
 * leaves a row from which reconciliation can find and remove them.
 *
 * @param id         the session id
 * @param instanceId the supervisor instance that starts it (must be recorded already)
 * @param name       the session's name
 * @param argv       the command, program first
 * @param cwd        the working directory it is started in
 * @param tags       free-form labels, in the order given
 * @param marker     the environment marker every member carries (the fallback way to find them)
 * @param port       the port leased to it, if any; leased together with this intent
 * @param directory  a directory Tether creates for it and removes when it ends, if any
 * @param cgroup     the cgroup it is started in, if any (created after this is recorded)
 * @param createdAt  when the intent was recorded
 */
public record SessionIntent(String id, String instanceId, String name, List<String> argv, Path cwd,
                            Set<String> tags, String marker, OptionalInt port, Optional<Path> directory,
                            Optional<String> cgroup, Instant createdAt) {
    public SessionIntent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(name, "name");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program, got an empty list");
        }
        Objects.requireNonNull(cwd, "cwd");
        tags = Collections.unmodifiableSet(new LinkedHashSet<>(tags));
        Objects.requireNonNull(marker, "marker");
        Objects.requireNonNull(port, "port");
        port.ifPresent(PortNumbers::check);
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(cgroup, "cgroup");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
