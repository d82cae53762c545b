package dev.tether.bench;

import static dev.tether.bench.Report.met;
import static dev.tether.bench.Report.num;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The markdown of the lifecycle sections: (d) SIGKILL to nothing left, (e) registry cost, (f) guardian memory. */
final class LifecycleReport {
    private static final String SIGKILL_NOTES = """
            Method: each repetition, a supervisor JVM of its own (`LifecycleChild`: `Supervisor.builder()` with the \
            containment named, guardian and shutdown hook on, a fresh `TETHER_HOME`) starts one session, \
            `sh -c '<kit>/deep-tree TAG & 5 × <kit>/double-fork-setsid TAG & wait'` with `CHAOS_TAG=TAG`: the wrapper, \
            the 121-process deep tree, and 5 escapees that double-fork and `setsid` (2 processes each) — %d processes. \
            Once the kit's `survivors TAG` counts all of them (and each is checked to carry `TETHER_INSTANCE=<instance>`), \
            their identities (pid, start time) are noted and the bench SIGKILLs the JVM through the `Process` it holds \
            (`destroyForcibly()`, i.e. by the pid the JDK recorded), then polls `/proc/<pid>/stat` of each (0.1 ms pause \
            between passes) until none is alive (gone, zombie, or pid reused). *nothing left* is SIGKILL to the last \
            one gone, split into the processes of the wrapper's own session (the deep tree and the escapees' first \
            processes) and the escapee daemons, which `setsid` into sessions of their own; *JVM gone* is when the \
            JVM's `/proc/<pid>/stat` first showed it exited, *guardian done* when the guardian (`sh`, it exits once \
            its cleanup is done) was first seen gone. The baseline is the same tree in a live supervisor JVM of \
            the same containment (one per variant, kept for all repetitions): the bench writes `stop` to its stdin, \
            it calls `session.stop()` (default policy: SIGTERM, 10 s grace; every process here dies of SIGTERM), and \
            the same poll runs from the write; `session.kill()` (SIGKILL, no grace) is measured the same way, since \
            the guardian does not grant a grace period either. \
            Afterwards a scan of every `/proc/*/environ` must find no `TETHER_INSTANCE=<instance>` and the kit must \
            count 0 for the tag; `reap TAG` runs as a safety net. Repetition 0 warms up and is not recorded; \
            variant order rotates per repetition. The peer: `PeerChild` starts the same tree with a plain \
            `ProcessBuilder` (no Tether class loaded) in a JVM that is then SIGKILLed the same way; the kit counts \
            the survivors %s later, then `reap` removes them.
            """;

    private static final String REGISTRY_NOTES = """
            Method (moved here from `RegistryCostTest`, which is gone: a timed measurement is no test): a fresh \
            registry file per round; %,d warm-up session lives, then %,d timed ones, each `insertSessionIntent`, \
            `markSessionRunning`, `markSessionEnded` (three committed transactions, as a supervisor writes a start \
            that reserves a port or a directory), or, in the *running row after the spawn* variants, \
            `insertRunningSession` and `markSessionEnded` (two, as it writes a start that reserves nothing); \
            *CPU* is the calling thread's CPU time. Then %,d live intents are inserted, %d `liveSessions()` reads warm \
            up and %d are timed one by one. The baseline does the same rows with plain JDBC: the same sqlite-jdbc, \
            the same pragmas (`journal_mode=WAL`, `synchronous=NORMAL`) and driver setting (`jdbc.get_generated_keys=false`), the same `sessions` table and indexes, one \
            prepared autocommit statement per write (so also one commit each), and a `SELECT` of the same columns \
            of the live rows read with `getObject` into arrays. What it leaves out is the Registry's own work: \
            `BEGIN IMMEDIATE`/`COMMIT` around each write, the background checkpoints (the baseline keeps SQLite's \
            automatic ones at their default), the state-guarded `WHERE`s, JSON and time encoding, the \
            port-lease release of every end, the instance foreign key, and decoding rows into `SessionRecord`s. \
            An in-memory map would only say what durability costs, not what the Registry adds, so it is not the \
            baseline. Variants alternate by round; medians over rounds (writes) and over all reads.
            """;

    private static final String GUARDIAN_NOTES = """
            Method: for each containment a supervisor is opened in the bench JVM (own home); `Supervisor.guardian()` \
            gives the guardian's pid; `VmRSS` and `VmHWM` are read from `/proc/<pid>/status` and `Pss` from \
            `/proc/<pid>/smaps_rollup`, 0.3 s after the open (0 sessions) and 0.3 s after %d `sleep 3600` sessions \
            are all counted by the kit. The baseline is `/bin/sh -c 'read x'` started by `ProcessBuilder` with a pipe \
            on stdin, read the same way 0.3 s after its start. One reading each: resident memory of an idle `sh` \
            does not move between readings. With CGROUP the guardian is told nothing per session (the instance \
            cgroup covers them all); with PROCESS_GROUP_AND_MARKER it keeps each session main's pid and start time \
            in a shell variable.
            """;

    private LifecycleReport() {}

    static void summary(StringBuilder md, Results r) {
        if (r.sigkill() != null) {
            for (SigkillBench.Figure f : r.sigkill().figures()) {
                if (f.targetMillis() == null) {
                    continue;
                }
                SigkillBench.Figure base = figure(r.sigkill(), SigkillBench.baselineOf(f.variant()));
                SigkillBench.Figure kill = figure(r.sigkill(), SigkillBench.killOf(f.variant()));
                md.append(String.format(Locale.ROOT, "| SIGKILL of the supervisor JVM → nothing left (%d processes), %s | %.1f ms median (%.1f–%.1f) | %.1f ms (`session.stop()` in a live supervisor; `session.kill()`: %.1f ms) | %.2f× | ≤ %.0f ms | %s |%n",
                        r.sigkill().treeSize(), f.variant().containment, f.medianMillis(), f.minMillis(), f.maxMillis(),
                        base.medianMillis(), kill.medianMillis(), f.medianMillis() / base.medianMillis(), f.targetMillis(), met(f.targetMet())));
            }
            if (!r.sigkill().peer().isEmpty()) {
                String peer = r.sigkill().peer().stream().map(p -> p.survivors() + " of " + p.processes())
                        .distinct().collect(Collectors.joining(", "));
                md.append(String.format(Locale.ROOT, "| processes left after SIGKILL of the JVM | 0 of %d | %s (peer: plain ProcessBuilder JVM) | — | 0 | %s |%n",
                        r.sigkill().treeSize(), peer, met(true)));
            }
        }
        if (r.registry() != null) {
            RegistryBench.Figure t = registryFigure(r.registry(), RegistryBench.Variant.REGISTRY);
            RegistryBench.Figure b = registryFigure(r.registry(), RegistryBench.Variant.PLAIN_JDBC);
            md.append(String.format(Locale.ROOT, "| registry cost per session start/stop (intent + running + ended) | %.0f µs | %.0f µs (plain JDBC, same SQLite, WAL) | %.2f× | ≤ 1 ms | %s |%n",
                    t.microsPerSessionMedian(), b.microsPerSessionMedian(), t.microsPerSessionMedian() / b.microsPerSessionMedian(),
                    met(t.targetMet())));
            RegistryBench.Figure t1 = registryFigure(r.registry(), RegistryBench.Variant.REGISTRY_ONE_WRITE);
            RegistryBench.Figure b1 = registryFigure(r.registry(), RegistryBench.Variant.PLAIN_JDBC_ONE_WRITE);
            md.append(String.format(Locale.ROOT, "| registry cost per session start/stop reserving nothing (running row + ended) | %.0f µs | %.0f µs (plain JDBC, same SQLite, WAL) | %.2f× | ≤ 1 ms | %s |%n",
                    t1.microsPerSessionMedian(), b1.microsPerSessionMedian(), t1.microsPerSessionMedian() / b1.microsPerSessionMedian(),
                    met(t1.targetMet())));
            md.append(String.format(Locale.ROOT, "| registry `liveSessions()` with %,d live rows | %.2f ms | %.2f ms (plain JDBC select) | %.2f× | none | — |%n",
                    r.registry().liveRows(), t.readMillisMedian(), b.readMillisMedian(), t.readMillisMedian() / b.readMillisMedian()));
        }
        if (r.guardian() != null) {
            GuardianBench.Reading base = r.guardian().baseline();
            for (GuardianBench.Reading g : r.guardian().readings()) {
                md.append(String.format(Locale.ROOT, "| guardian VmRSS, %s, %d live sessions | %s kB | %s kB (`sh -c 'read x'`) | %.2f× | ≤ 5 MB | %s |%n",
                        g.containment(), g.liveSessions(), num(g.vmRssKb()), num(base.vmRssKb()),
                        (double) g.vmRssKb() / base.vmRssKb(), met(g.targetMet())));
            }
        }
    }

    static void sections(StringBuilder md, Results r) {
        if (r.sigkill() != null) {
            sigkill(md, r.sigkill());
        }
        if (r.registry() != null) {
            registry(md, r.registry());
        }
        if (r.guardian() != null) {
            guardian(md, r.guardian());
        }
    }

    private static void sigkill(StringBuilder md, SigkillBench.Result r) {
        md.append("\n## (d) SIGKILL of the supervisor: time to nothing left\n\n")
                .append(r.repetitions()).append(" repetitions per variant; ").append(r.treeSize())
                .append(" processes per tree (121 deep tree + ").append(r.escapees()).append(" double-fork-setsid escapees × 2 + the wrapper).\n\n")
                .append("| variant | nothing left, median ms | min ms | max ms | p90 ms | the wrapper's session gone, median ms | escapee daemons gone, median ms | guardian done, median ms | target | met |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (SigkillBench.Figure f : r.figures()) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %s | %s |%n", f.label(), f.medianMillis(),
                    f.minMillis(), f.maxMillis(), f.p90Millis(), f.mainSessionGoneMedianMillis(), f.escapeesGoneMedianMillis(),
                    f.guardianGoneMedianMillis() == null ? "—" : String.format(Locale.ROOT, "%.1f", f.guardianGoneMedianMillis()),
                    f.targetMillis() == null ? "none" : "≤ " + f.targetMillis().intValue() + " ms", met(f.targetMet())));
        }
        md.append("\nRaw times (ms), in repetition order — nothing left / JVM gone / guardian done, or for a stop: nothing left (the child's `StopReport.elapsed()`):\n\n");
        for (SigkillBench.Variant v : SigkillBench.Variant.values()) {
            List<SigkillBench.Sample> s = r.samples().stream().filter(x -> x.variant() == v).toList();
            md.append("- ").append(v.label).append(": ").append(s.stream().map(x -> x.jvmGoneMillis() != null
                    ? String.format(Locale.ROOT, "%.1f/%.1f/%.1f", x.goneMillis(), x.jvmGoneMillis(), x.guardianGoneMillis())
                    : String.format(Locale.ROOT, "%.1f (%.1f)", x.goneMillis(), x.childStopMillis())).collect(Collectors.joining(", ")));
            long left = s.stream().filter(SigkillBench.Sample::cgroupLeft).count();
            md.append(left == 0 ? "\n" : " — the instance cgroup directory was left (empty) " + left + " time(s), removed by the bench\n");
        }
        md.append("\nPeer (plain `ProcessBuilder`, JVM SIGKILLed): ").append(r.peer().stream()
                .map(p -> p.survivors() + " of " + p.processes() + " alive").collect(Collectors.joining(", ")))
                .append(" — nothing at all is cleaned; the kit's `reap` removed them.\n\n");
        md.append(String.format(SIGKILL_NOTES, r.treeSize(), "2 s"));
    }

    private static void registry(StringBuilder md, RegistryBench.Result r) {
        md.append("\n## (e) Registry cost per session, and a live read\n\n")
                .append(String.format(Locale.ROOT, "%d rounds; %,d timed session lives per round; %,d live rows for the read.%n%n",
                        r.rounds(), r.sessionsPerRound(), r.liveRows()))
                .append("| variant | µs per session (median) | CPU µs per session | per round (µs) | `liveSessions()` median ms | p90 ms | target | met |\n|---|---|---|---|---|---|---|---|\n");
        for (RegistryBench.Figure f : r.figures()) {
            String perRound = r.samples().stream().filter(s -> s.variant() == f.variant())
                    .map(s -> String.format(Locale.ROOT, "%.0f", s.microsPerSession())).collect(Collectors.joining(", "));
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %s | %.2f | %.2f | %s | %s |%n", f.label(),
                    f.microsPerSessionMedian(), f.cpuMicrosPerSessionMedian(), perRound, f.readMillisMedian(), f.readMillisP90(),
                    f.targetMicros() == null ? "none" : "≤ 1 ms per session", met(f.targetMet())));
        }
        md.append('\n').append(String.format(REGISTRY_NOTES, r.warmupSessions(), r.sessionsPerRound(), r.liveRows(),
                RegistryBench.READ_WARMUP, r.readsPerRound()));
    }

    private static void guardian(StringBuilder md, GuardianBench.Result r) {
        md.append("\n## (f) The guardian's memory\n\n")
                .append("`").append(r.shell()).append("`.\n\n")
                .append("| process | live sessions | VmRSS kB | Pss kB | VmHWM kB | ratio to baseline (VmRSS) | target | met |\n|---|---|---|---|---|---|---|---|\n");
        GuardianBench.Reading base = r.baseline();
        for (GuardianBench.Reading g : java.util.stream.Stream.concat(java.util.stream.Stream.of(base), r.readings().stream()).toList()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %.2f× | %s | %s |%n", g.label(), g.liveSessions(),
                    num(g.vmRssKb()), num(g.pssKb()), num(g.vmHwmKb()), (double) g.vmRssKb() / base.vmRssKb(),
                    g.targetKb() == null ? "none" : "≤ 5 MB", met(g.targetMet())));
        }
        md.append('\n').append(String.format(GUARDIAN_NOTES, GuardianBench.SESSIONS));
    }

    private static SigkillBench.Figure figure(SigkillBench.Result r, SigkillBench.Variant v) {
        return r.figures().stream().filter(f -> f.variant() == v).findFirst().orElseThrow();
    }

    private static RegistryBench.Figure registryFigure(RegistryBench.Result r, RegistryBench.Variant v) {
        return r.figures().stream().filter(f -> f.variant() == v).findFirst().orElseThrow();
    }
}
