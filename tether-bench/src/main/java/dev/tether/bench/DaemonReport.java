package dev.tether.bench;

import static dev.tether.bench.Report.met;
import static dev.tether.bench.Report.num;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The markdown of the daemon sections: (g) GET /sessions rate, (h) concurrent start/stop, (i) idle cost. */
final class DaemonReport {
    private static final String DAEMON_NOTES = """
            The daemon runs as a child process of the bench, started as users start it: `./tether serve --port 0 \
            --home <scratch home>` (the launcher execs the JVM with the daemon's options: full JIT, a 128 MB heap \
            cap; any `--daemon-jvm-args` go in `JAVA_OPTS`), so its CPU and memory are its own; \
            the bench JVM (the load client) shares the same 2 cores with it. It is stopped with SIGTERM through the \
            `Process` the bench holds (its recorded pid); it must exit, no process carrying its \
            `TETHER_INSTANCE=<instance>` may live then (a scan of every `/proc/*/environ`), the kit must count 0 for \
            the sessions' `CHAOS_TAG`, and its registry, opened afterwards with `HomeInspector`, must hold no live row.
            """;

    private static final String LIST_NOTES = """
            Method: %,d live sessions (`sleep 3600`, each started with `POST /sessions`, 8 at a time, `CHAOS_TAG` in \
            its env). `HttpLoad`: %d connections on plain sockets, HTTP/1.1 keep-alive, one request in flight per \
            connection, each on a platform thread of the bench JVM; per window a warm-up, then a fixed measured \
            window; only responses that end inside it count, and every one must be 200. Windows in ABCCBA order \
            (`/sessions`, `/sessions` with `Accept-Encoding: gzip`, `/healthz`, `/healthz`, gzip, plain); the \
            figure is the median of each route's two. The target is read against the plain request, the one a \
            client that asks for no compression (java.net.http by default) makes. *daemon \
            CPU* is the daemon process's utime+stime over the window divided by the responses; *by thread* groups \
            the daemon's threads by name (`/proc/<pid>/task/*/comm`, digits dropped) with their CPU ticks (10 ms) \
            in the window.
            """;

    private static final String CHURN_NOTES = """
            Method: %d client threads, each with its own `TetherClient` (java.net.http), loop `POST /sessions` then \
            `DELETE /sessions/{id}` (which answers once nothing of the session lives); every fifth session is \
            `sh -c 'sleep 60 & wait'` (a two-process tree), the others `sleep 60`, all with the default grace (10 s; \
            both die of SIGTERM at once). %.0f s of warm-up, then a window of %.0f s; an operation is one start+stop that \
            ended inside the window. A DELETE that fails is sent once more (and counted as an error). The baseline \
            runs first, in the bench JVM: the same threads and mix on one `Supervisor` (own home, registry and \
            guardian on) with `start(spec)` and `stop()`, stdio discarded (the daemon appends each session's output \
            to a log file of its own). *nothing lost* means: every DELETE answered a terminal state; afterwards \
            `GET /sessions` lists no live session and `GET /health` calls the registry consistent; no process \
            carries the daemon's instance marker, before and after its SIGTERM; and the registry, read after the \
            exit, has a terminal row for every session a client started and no live row.
            """;

    private static final String IDLE_NOTES = """
            Method: the daemon's utime+stime (`/proc/<pid>/stat`, 10 ms ticks) before and after a %d s window in \
            which nobody calls it, and its `VmRSS` at the end; first %.0f s after it came up, with 0 sessions (the \
            baseline), then %.0f s after its %,d sessions were all running. "≈ 0" is read as under %.0f%% of one core. \
            *by thread* as in (g).
            """;

    private DaemonReport() {}

    static void summary(StringBuilder md, Results r) {
        ServeBench.Result s = r.serve();
        if (s != null && s.list() != null) {
            ServeBench.ListResult l = s.list();
            md.append(String.format(Locale.ROOT, "| daemon `GET /sessions` with %,d live sessions (%s bytes per answer), %d connections | %s req/s | %s req/s (`GET /healthz`, %d bytes) | %.3f× | ≥ 5,000 req/s | %s |%n",
                    l.liveSessions(), num(l.sessionsBodyBytes()), l.windows().getFirst().connections(), num(l.sessionsPerSecond()),
                    num(l.healthzPerSecond()), l.healthzBodyBytes(), l.ratio(), met(l.targetMet())));
            md.append(String.format(Locale.ROOT, "| the same with `Accept-Encoding: gzip` (%s bytes per answer) | %s req/s | %s req/s (`GET /healthz`) | %.3f× | none | — |%n",
                    num(l.gzipBodyBytes()), num(l.gzipPerSecond()), num(l.healthzPerSecond()), l.gzipRatio()));
        }
        ChurnBench.Result c = r.churn();
        if (c != null) {
            md.append(String.format(Locale.ROOT, "| daemon start+stop, %d concurrent clients | %.1f /s (%d errors) | %.1f /s (library in-process, %d errors) | %.2f× | none | — |%n",
                    c.daemon().clients(), c.daemon().perSecond(), c.daemon().errors(), c.library().perSecond(), c.library().errors(),
                    c.ratio()));
            md.append(String.format(Locale.ROOT, "| daemon churn: sessions lost, live rows or processes left | %s | — | — | none lost | %s |%n",
                    c.checks().nothingLost() ? "none (" + num(c.checks().started()) + " sessions)" : "**some**: see (h)",
                    met(c.checks().nothingLost())));
        }
        if (s != null && s.idle() != null) {
            ServeBench.IdleResult i = s.idle();
            md.append(String.format(Locale.ROOT, "| daemon idle CPU with %,d live sessions, %.0f s | %.0f ms (%.2f%% of a core) | %.0f ms with 0 sessions (%.2f%%) | %s | ≈ 0 (< 1%% of a core) | %s |%n",
                    i.loaded().liveSessions(), i.loaded().seconds(), i.loaded().cpuMillis(), i.loaded().corePercent(),
                    i.empty().cpuMillis(), i.empty().corePercent(), Double.isNaN(i.cpuRatio()) ? "—" : String.format(Locale.ROOT, "%.2f×", i.cpuRatio()),
                    met(i.cpuTargetMet())));
            md.append(String.format(Locale.ROOT, "| daemon VmRSS with %,d live sessions | %s MB | %s MB with 0 sessions | %.2f× | ≤ 256 MB | %s |%n",
                    i.loaded().liveSessions(), mb(i.loaded().rssKb()), mb(i.empty().rssKb()), i.rssRatio(), met(i.rssTargetMet())));
        }
    }

    static void sections(StringBuilder md, Results r) {
        ServeBench.Result s = r.serve();
        if (s != null && s.list() != null) {
            list(md, s);
        }
        if (r.churn() != null) {
            churn(md, r.churn());
        }
        if (s != null && s.idle() != null) {
            idle(md, s);
        }
        if (s != null || r.churn() != null) {
            md.append('\n').append(DAEMON_NOTES);
        }
    }

    private static void list(StringBuilder md, ServeBench.Result s) {
        ServeBench.ListResult l = s.list();
        md.append("\n## (g) Daemon: `GET /sessions` with ").append(num(l.liveSessions())).append(" live sessions\n\n")
                .append("| window | request | connections | warm-up s | s | responses | req/s | bytes per answer | daemon CPU µs per request | daemon CPU by thread (ticks) | client CPU ms |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        int n = 1;
        for (HttpLoad.Window w : l.windows()) {
            md.append(String.format(Locale.ROOT, "| %d | GET %s | %d | %.0f | %.0f | %s | %s | %s | %.0f | %s | %.0f |%n", n++, w.path(),
                    w.connections(), w.warmupSeconds(), w.seconds(), num(w.responses()), num(w.perSecond()), num(w.bodyBytes()),
                    w.targetCpuMicrosPerResponse(), threads(w.targetCpuTicksByThread()), w.clientCpuMillis()));
        }
        md.append(String.format(Locale.ROOT, "%nMedians: `GET /sessions` %s req/s (with gzip %s req/s), `GET /healthz` %s req/s, ratio %.3f× "
                        + "(gzip %.3f×); target ≥ 5,000 req/s: %s. The %,d sessions took %.1f s to start through the API (%.0f /s, 8 at a time).%n%n",
                num(l.sessionsPerSecond()), num(l.gzipPerSecond()), num(l.healthzPerSecond()), l.ratio(), l.gzipRatio(), met(l.targetMet()),
                s.liveSessions(), s.startSeconds(), s.startsPerSecond()));
        md.append(String.format(LIST_NOTES, l.liveSessions(), l.windows().getFirst().connections()));
        stopped(md, s.stopped(), s.liveSessions(), s.liveRowsAfterExit(), s.instanceEnded());
    }

    private static void churn(StringBuilder md, ChurnBench.Result c) {
        md.append("\n## (h) Daemon: concurrent clients starting and stopping sessions\n\n")
                .append("| loop | clients | s | start+stop done | of them trees | per second | errors | error kinds |\n|---|---|---|---|---|---|---|---|\n");
        for (ChurnBench.Run run : new ChurnBench.Run[] {c.daemon(), c.library()}) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %s | %s | %.1f | %d | %s |%n", run.label(), run.clients(),
                    run.seconds(), num(run.operations()), num(run.treeOperations()), run.perSecond(), run.errors(),
                    run.errorKinds().isEmpty() ? "—" : run.errorKinds().toString().replace("|", "\\|")));
        }
        ChurnBench.Checks k = c.checks();
        md.append(String.format(Locale.ROOT, "%nRatio daemon / library: %.2f×.%n%n", c.ratio()))
                .append("| check after the daemon's loop | found | must be |\n|---|---|---|\n")
                .append(String.format(Locale.ROOT, "| sessions started by the clients (warm-up included) | %s | — |%n", num(k.started())))
                .append(String.format(Locale.ROOT, "| DELETE answers not in a terminal state | %d | 0 |%n", k.answeredNotTerminal()))
                .append(String.format(Locale.ROOT, "| live sessions in `GET /sessions` | %d | 0 |%n", k.listedLive()))
                .append(String.format(Locale.ROOT, "| `GET /health` registry consistent | %s | yes |%n", k.healthConsistent() ? "yes" : "**no**"))
                .append(String.format(Locale.ROOT, "| processes with the instance marker, before SIGTERM / after exit | %d / %d | 0 / 0 |%n",
                        k.markedAliveBefore(), k.stopped().markedLeft()))
                .append(String.format(Locale.ROOT, "| daemon exit after SIGTERM | status %d after %.0f ms | exits |%n", k.stopped().exitCode(), k.stopped().millis()))
                .append(String.format(Locale.ROOT, "| registry after exit: live rows / started sessions without a row / not terminal | %d / %d / %d | 0 / 0 / 0 |%n",
                        k.registryLiveRows(), k.registryMissing(), k.registryNotTerminal()))
                .append(String.format(Locale.ROOT, "| registry rows of the instance by state | %s | — |%n", k.registryStates()))
                .append(String.format(Locale.ROOT, "| nothing lost | %s | yes |%n%n", k.nothingLost() ? "yes" : "**no**"));
        md.append(String.format(Locale.ROOT, CHURN_NOTES, c.daemon().clients(), c.daemon().warmupSeconds(), c.daemon().seconds()));
    }

    private static void idle(StringBuilder md, ServeBench.Result s) {
        ServeBench.IdleResult i = s.idle();
        md.append("\n## (i) Daemon: idle cost\n\n")
                .append("| live sessions | s | CPU ms | % of one core | VmRSS MB | CPU by thread (ticks) | target | met |\n|---|---|---|---|---|---|---|---|\n");
        for (ServeBench.Idle x : new ServeBench.Idle[] {i.empty(), i.loaded()}) {
            boolean loaded = x == i.loaded();
            md.append(String.format(Locale.ROOT, "| %s%s | %.1f | %.0f | %.2f | %s | %s | %s | %s |%n", num(x.liveSessions()),
                    loaded ? "" : " (baseline)", x.seconds(), x.cpuMillis(), x.corePercent(), mb(x.rssKb()), threads(x.cpuTicksByThread()),
                    loaded ? "CPU < 1% of a core; VmRSS ≤ 256 MB" : "none",
                    loaded ? met(i.cpuTargetMet()) + " / " + met(i.rssTargetMet()) : "—"));
        }
        md.append('\n').append(String.format(Locale.ROOT, IDLE_NOTES, (int) Math.round(i.loaded().seconds()), 5.0, 5.0,
                i.loaded().liveSessions(), ServeBench.TARGET_IDLE_CORE_PERCENT));
        if (s.list() == null) {
            stopped(md, s.stopped(), s.liveSessions(), s.liveRowsAfterExit(), s.instanceEnded());
        }
    }

    private static void stopped(StringBuilder md, DaemonChild.Stopped st, int live, int liveRows, boolean ended) {
        md.append(String.format(Locale.ROOT, "%nAt the end, SIGTERM with %,d live sessions: the daemon exited with status %d after %s ms; "
                        + "%d process(es) of its instance alive then; its registry afterwards: %d live row(s), instance %s.%n",
                live, st.exitCode(), num(st.millis()), st.markedLeft(), liveRows, ended ? "recorded as ended" : "**not** recorded as ended"));
    }

    private static String threads(Map<String, Long> ticks) {
        if (ticks.isEmpty()) {
            return "—";
        }
        return ticks.entrySet().stream().limit(6).map(e -> e.getKey().replace("|", "\\|") + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String mb(long kb) {
        return String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }
}
