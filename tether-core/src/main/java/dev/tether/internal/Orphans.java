package dev.tether.internal;

import dev.tether.ProcessInfo;
import dev.tether.Signal;
import dev.tether.registry.InstanceRecord;
import dev.tether.registry.Registry;
import dev.tether.registry.SessionRecord;
import dev.tether.spi.Platform;
import dev.tether.spi.ScopeKey;
import dev.tether.spi.SessionScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds and stops Tether-marked processes that belong to no live session: their supervisor
 * instance is dead (by identity: from the registry, or from the supervisor identity every marked
 * process carries), or their session has ended. Only processes of this user are
 * considered; a live session of any live supervisor is never touched.
 */
public final class Orphans {
    private final Platform platform;
    private final Optional<Registry> registry;

    public Orphans(Platform platform, Optional<Registry> registry) {
        this.platform = platform;
        this.registry = registry;
    }

    /** Marked processes of this user that no live session owns; {@code ownLive} says which sessions this supervisor runs. */
    public List<ProcessInfo> find(Predicate<String> ownLive) {
        int uid = currentUid();
        Set<String> guarded = platform.guardedInstances();
        List<ProcessInfo> out = new ArrayList<>();
        for (ProcessInfo p : platform.markedProcesses()) {
            if ((uid >= 0 && p.uid() != uid) || p.session().isEmpty()) {
                continue;
            }
            String session = p.session().get();
            if (ownLive.test(session)) {
                continue;
            }
            if (instanceAlive(p, guarded) && sessionLive(session)) {
                continue;
            }
            out.add(p);
        }
        return out;
    }

    /** Every marked process of this user, whoever owns it (for emergency recovery). */
    public List<ProcessInfo> allOfThisUser() {
        int uid = currentUid();
        return platform.markedProcesses().stream()
                .filter(p -> (uid < 0 || p.uid() == uid) && p.session().isPresent()).toList();
    }

    /**
     * Stops the given marked processes, session by session, with the one stop algorithm (marker
     * scope); then releases the cgroup of each dead instance among them (whatever is still in it
     * is killed, and its session cgroups, empty now, are removed). An instance is dead only if none
     * of its processes shows it alive; a live instance's cgroup is never touched (its session may
     * have ended while the instance runs on).
     */
    public int stop(List<ProcessInfo> processes, Duration grace) {
        Map<String, String> sessions = new LinkedHashMap<>();
        Map<String, Boolean> alive = new LinkedHashMap<>(); // by instance; once one process says alive, no more asking
        Set<String> guarded = platform.guardedInstances();
        for (ProcessInfo p : processes) {
            p.session().ifPresent(s -> sessions.putIfAbsent(s, p.instance().orElse("unknown")));
            p.instance().filter(i -> !alive.getOrDefault(i, false)).ifPresent(i -> alive.put(i, instanceAlive(p, guarded)));
        }
        int stopped = 0;
        for (Map.Entry<String, String> e : sessions.entrySet()) {
            SessionScope scope = platform.attachScope(new ScopeKey(e.getValue(), e.getKey()), Optional.empty(), Optional.empty());
            StopAlgorithm.Outcome o = StopAlgorithm.run(scope, Signal.TERM, new StopAlgorithm.Deadline(grace));
            stopped += Math.max(o.signalled(), o.killed());
        }
        alive.forEach((instance, lives) -> {
            if (!lives) {
                platform.releaseDeadInstance(instance);
            }
        });
        return stopped;
    }

    /**
     * Whether the supervisor that owns a marked process lives: by its row in this home's registry,
     * else by the supervisor identity the process carries in its environment, else by a live
     * guardian of its instance.
     */
    private boolean instanceAlive(ProcessInfo p, Set<String> guarded) {
        Optional<String> instance = p.instance();
        if (instance.isEmpty()) {
            return false;
        }
        Optional<InstanceRecord> rec = registry.flatMap(r -> r.instance(instance.get()));
        if (rec.isPresent()) {
            return rec.get().endedAt().isEmpty() && rec.get().process().isAlive();
        }
        if (p.supervisor().isPresent()) {
            return p.supervisorAlive();
        }
        return guarded.contains(instance.get());
    }

    private boolean sessionLive(String session) {
        Optional<SessionRecord> rec = registry.flatMap(r -> r.session(session));
        return rec.map(SessionRecord::isLive).orElse(true); // unknown here: another home's session
    }

    private static int currentUid() {
        try {
            Object uid = java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
            return (Integer) uid;
        } catch (Exception e) {
            return -1;
        }
    }
}
