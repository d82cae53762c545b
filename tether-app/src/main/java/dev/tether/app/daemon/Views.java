package dev.tether.app.daemon;

import dev.tether.Exit;
import dev.tether.PortOwner;
import dev.tether.ProcessId;
import dev.tether.ProcessInfo;
import dev.tether.ResourceUsage;
import dev.tether.Session;
import dev.tether.StopReport;
import dev.tether.client.api.ExitView;
import dev.tether.client.api.KilledProcess;
import dev.tether.client.api.PortHolder;
import dev.tether.client.api.ProcessIdentity;
import dev.tether.client.api.ProcessNode;
import dev.tether.client.api.RestartView;
import dev.tether.client.api.SessionState;
import dev.tether.client.api.SessionView;
import dev.tether.client.api.StopView;
import dev.tether.client.api.UsageView;
import dev.tether.registry.SessionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Core objects as the API's records. */
final class Views {
    private Views() {}

    /**
     * A managed session; with {@code detail} every field, else the list form, which leaves out what
     * only a look at one session needs (identity, containment, working directory, log file, runs).
     */
    static SessionView of(ManagedSession m, String instance, boolean detail, Optional<UsageView> usage, List<ProcessNode> tree,
                          String logFile) {
        Session run = m.current();
        Instant now = Instant.now();
        SessionState state = m.state();
        boolean live = !state.isTerminal();
        Instant started = run.startedAt();
        Instant ended = m.endedAt().orElse(null);
        Instant activity = m.lastActivity();
        var plan = m.plan;
        Restart restart = plan.restart();
        return new SessionView(m.id, run.name(), state, List.copyOf(run.spec().tags()), run.spec().argv(),
                detail ? plan.spec().directory().map(Object::toString).orElse(System.getProperty("user.dir")) : null,
                live && state != SessionState.RESTARTING ? run.pid() : null, detail ? identity(run.processId()) : null,
                run.port().isPresent() ? run.port().getAsInt() : null, run.directory().map(Object::toString).orElse(null),
                detail ? run.containment() : null, instance, true, started, ended, activity,
                Duration.between(started, ended != null ? ended : now).toMillis(),
                live ? Duration.between(activity, now).toMillis() : null,
                plan.idleTimeout().map(Duration::toMillis).orElse(null), run.spec().stopPolicy().grace().toMillis(),
                m.lastExit().map(Views::exit).orElse(null), m.lastStop().map(Views::stop).orElse(null),
                new RestartView(restart.policy(), restart.maxRestarts(), m.restarts(), restart.backoff().toMillis(),
                        m.nextRestartAt().orElse(null)),
                live ? usage.orElse(null) : null, tree, detail ? logFile : null, detail ? m.runs() : null);
    }

    /** A registry row this daemon does not run: history, or another live supervisor's session (list form unless {@code detail}). */
    static SessionView of(SessionRecord r, boolean detail, String logFile) {
        Instant now = Instant.now();
        Instant started = r.startedAt().orElse(r.intent().createdAt());
        return new SessionView(r.id(), r.name(), SessionState.valueOf(r.state().name()), List.copyOf(r.intent().tags()),
                r.intent().argv(), detail ? r.intent().cwd().toString() : null,
                r.isLive() ? r.main().map(ProcessId::pid).orElse(null) : null,
                detail ? r.main().map(Views::identity).orElse(null) : null,
                r.intent().port().isPresent() ? r.intent().port().getAsInt() : null,
                r.intent().directory().map(Object::toString).orElse(null),
                detail ? r.intent().cgroup().map(c -> "cgroup " + c).orElse("marker " + r.intent().marker()) : null, r.instanceId(),
                false, started, r.endedAt().orElse(null), r.lastActivity(),
                Duration.between(started, r.endedAt().orElse(now)).toMillis(), null, null, null,
                r.exit().map(Views::exit).orElse(null), r.stopReport().map(Views::stop).orElse(null), null, null, null,
                detail ? logFile : null, detail ? List.of(r.id()) : null);
    }

    static ProcessIdentity identity(ProcessId id) {
        return new ProcessIdentity(id.pid(), id.startTime(), id.bootId());
    }

    static ExitView exit(Exit e) {
        return switch (e) {
            case Exit.Exited x -> new ExitView("exited", x.code(), null, null, e.toString());
            case Exit.Signalled s -> new ExitView("signalled", null, s.signal().toString(), null, e.toString());
            case Exit.SpawnFailed f -> new ExitView("spawn_failed", null, null, f.cause().getMessage(), e.toString());
            case Exit.Unknown u -> new ExitView("unknown", null, null, u.why(), e.toString());
        };
    }

    static StopView stop(StopReport r) {
        return new StopView(r.signalled(), r.killed(), r.survivors(), r.elapsed().toMillis(), r.reason().name(), r.graceful());
    }

    static UsageView usage(ResourceUsage u) {
        return new UsageView(u.processes(), u.cpu().toMillis(), u.rssBytes(), u.source().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The members as a forest: each process under its parent when the parent is a member too. */
    static List<ProcessNode> tree(List<ProcessInfo> members) {
        Set<Long> pids = new HashSet<>();
        members.forEach(p -> pids.add(p.pid()));
        Map<Long, List<ProcessInfo>> children = new HashMap<>();
        List<ProcessInfo> roots = new ArrayList<>();
        for (ProcessInfo p : members) {
            if (pids.contains(p.parentPid()) && p.parentPid() != p.pid()) {
                children.computeIfAbsent(p.parentPid(), k -> new ArrayList<>()).add(p);
            } else {
                roots.add(p);
            }
        }
        return roots.stream().map(r -> node(r, children, 0)).toList();
    }

    private static ProcessNode node(ProcessInfo p, Map<Long, List<ProcessInfo>> children, int depth) {
        List<ProcessNode> kids = depth > 64 ? List.of()
                : children.getOrDefault(p.pid(), List.of()).stream().map(c -> node(c, children, depth + 1)).toList();
        return new ProcessNode(p.pid(), p.parentPid(), p.command(), kids);
    }

    static KilledProcess killed(ProcessInfo p) {
        return new KilledProcess(p.pid(), p.command(), p.session().orElse(null));
    }

    static PortHolder holder(PortOwner o) {
        return new PortHolder(o.pid(), o.user(), o.command(), o.startedAt().orElse(null), o.address(), o.session().orElse(null));
    }
}
