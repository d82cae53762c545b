package dev.tether.bench;

import dev.tether.HomeInspector;
import dev.tether.TetherSettings;
import dev.tether.client.TetherClient;
import dev.tether.client.api.Health;
import dev.tether.client.api.SessionRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * (g) and (i), on one daemon child holding {@code liveSessions} live sessions ({@code sleep 3600},
 * started through its API): (i) its idle CPU (utime+stime from {@code /proc/<pid>/stat}) and
 * {@code VmRSS} over a window in which nobody calls it, first with 0 sessions (the baseline), then
 * with all of them; (g) requests per second of {@code GET /sessions} from {@link HttpLoad}, plain
 * and with {@code Accept-Encoding: gzip}, against {@code GET /healthz} (the baseline: a trivial
 * route of the same server), windows in ABCCBA order. Then SIGTERM by its pid: it must exit and
 * leave nothing of its instance, and its registry (opened after the exit) must hold no live row.
 */
final class ServeBench {
    static final double TARGET_PER_SECOND = 5_000;
    static final double TARGET_RSS_KB = 256 * 1024;
    /** "≈ 0" made concrete: under 1% of one core while nobody calls the API. */
    static final double TARGET_IDLE_CORE_PERCENT = 1.0;
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final int STARTERS = 8;

    record Idle(int liveSessions, double seconds, long cpuTicks, double cpuMillis, double corePercent, long rssKb,
                Map<String, Long> cpuTicksByThread) {}

    record IdleResult(Idle empty, Idle loaded, double cpuRatio, double rssRatio, boolean cpuTargetMet, boolean rssTargetMet) {}

    /** {@code gzip*}: the same GET with {@code Accept-Encoding: gzip}, which the daemon answers compressed. */
    record ListResult(int liveSessions, List<HttpLoad.Window> windows, double sessionsPerSecond, double gzipPerSecond,
                      double healthzPerSecond, double ratio, double gzipRatio, long sessionsBodyBytes, long gzipBodyBytes,
                      long healthzBodyBytes, boolean targetMet) {}

    record Result(String instance, int liveSessions, double startSeconds, double startsPerSecond, IdleResult idle,
                  ListResult list, DaemonChild.Stopped stopped, int liveRowsAfterExit, boolean instanceEnded) {}

    private final ChaosKit kit;
    private final Path jar;
    private final Path work;
    private final BenchOptions opts;

    ServeBench(ChaosKit kit, BenchOptions opts) {
        this.kit = kit;
        this.jar = opts.daemonJar();
        this.work = opts.work().resolve("serve");
        this.opts = opts;
    }

    Result run(boolean idle, boolean list) {
        String tag = kit.newTag("serve");
        Path home = work.resolve("home");
        clean(work);
        int n = opts.liveSessions();
        Idle empty = null;
        Idle loaded = null;
        ListResult load = null;
        DaemonChild.Stopped stopped;
        String instance;
        double startSeconds;
        try (DaemonChild d = DaemonChild.start(jar, home, opts.daemonJvmArgs())) {
            instance = d.instance();
            System.out.printf("  serve   daemon pid %d, instance %s, %s%n", d.pid(), instance, d.url());
            if (idle) {
                LockSupport.parkNanos(SETTLE.toNanos());
                empty = idleWindow(d, 0);
            }
            startSeconds = startSessions(d.client(), tag, n);
            kit.awaitSurvivors(tag, n, Duration.ofSeconds(120));
            checkLive(d, n);
            System.out.printf("  serve   %d sessions started through the API in %.1f s%n", n, startSeconds);
            if (idle) {
                LockSupport.parkNanos(SETTLE.toNanos());
                loaded = idleWindow(d, n);
            }
            if (list) {
                load = load(d, n);
                checkLive(d, n);
            }
            stopped = d.terminate(Duration.ofSeconds(60));
            System.out.printf("  serve   SIGTERM with %d live sessions: exited %d after %.0f ms, %d marked process(es) left%n",
                    n, stopped.exitCode(), stopped.millis(), stopped.markedLeft());
            if (stopped.markedLeft() != 0) {
                throw new IllegalStateException("the daemon left " + stopped.markedLeft() + " process(es) of its instance "
                        + instance + " after SIGTERM");
            }
        } finally {
            kit.assertNoneLeft(tag, "the daemon's SIGTERM");
            kit.reap(tag);
        }
        int liveRows;
        boolean ended;
        try (HomeInspector h = HomeInspector.open(TetherSettings.load().withHome(home))) {
            liveRows = h.sessions(true).size();
            String id = instance;
            ended = h.registry().flatMap(r -> r.instance(id)).flatMap(i -> i.endedAt()).isPresent();
        }
        if (liveRows != 0) {
            System.out.printf("  serve   the daemon's registry holds %d live row(s) after it exited%n", liveRows);
        }
        IdleResult idleResult = null;
        if (empty != null) {
            double cpuRatio = empty.cpuTicks() == 0 ? Double.NaN : (double) loaded.cpuTicks() / empty.cpuTicks();
            idleResult = new IdleResult(empty, loaded, Stats.round(cpuRatio, 2), Stats.round((double) loaded.rssKb() / empty.rssKb(), 2),
                    loaded.corePercent() < TARGET_IDLE_CORE_PERCENT, loaded.rssKb() <= TARGET_RSS_KB);
        }
        return new Result(instance, n, Stats.round(startSeconds, 2), Stats.round(n / startSeconds, 1), idleResult, load,
                stopped, liveRows, ended);
    }

    private double startSessions(TetherClient client, String tag, int n) {
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(STARTERS, Thread.ofPlatform().name("serve-start-", 0).factory());
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                SessionRequest r = SessionRequest.of("sleep", "3600").withEnv("CHAOS_TAG", tag).withName("idle-" + i);
                starts.add(pool.submit(() -> client.start(r)));
            }
            for (Future<?> f : starts) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("starting " + n + " sessions through the API failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void checkLive(DaemonChild d, int n) {
        int live = d.client().sessions().count();
        Health h = d.client().health();
        if (live != n || !h.registry().consistent()) {
            throw new IllegalStateException("the daemon lists " + live + " live sessions (expected " + n + "); registry: "
                    + h.registry().detail());
        }
    }

    private Idle idleWindow(DaemonChild d, int live) {
        Duration window = Duration.ofSeconds(opts.idleSeconds());
        Map<String, Long> threads0 = d.cpuTicksByThread();
        long cpu0 = d.cpuTicks();
        long t0 = System.nanoTime();
        LockSupport.parkNanos(window.toNanos());
        long cpu1 = d.cpuTicks();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Long> threads = Procs.delta(threads0, d.cpuTicksByThread());
        long rss = d.rssKb();
        long ticks = cpu1 - cpu0;
        double ms = ticks * 1000.0 / Procs.TICKS_PER_SECOND;
        Idle i = new Idle(live, Stats.round(seconds, 2), ticks, ms, Stats.round(ms / (seconds * 1000) * 100, 3), rss, threads);
        System.out.printf("  serve   idle %d s with %4d sessions: CPU %.0f ms (%.2f%% of a core), VmRSS %d MB; by thread %s%n",
                opts.idleSeconds(), live, ms, i.corePercent(), rss / 1024, threads);
        return i;
    }

    private ListResult load(DaemonChild d, int n) {
        Duration window = Duration.ofSeconds(opts.loadSeconds());
        Duration warmup = Duration.ofSeconds(Math.max(2, opts.loadSeconds() / 2));
        List<HttpLoad.Window> windows = new ArrayList<>();
        HttpLoad.Target target = new HttpLoad.Target() {
            @Override
            public long cpuTicks() {
                return d.cpuTicks();
            }

            @Override
            public Map<String, Long> cpuTicksByThread() {
                return d.cpuTicksByThread();
            }
        };
        HttpLoad.Route sessions = new HttpLoad.Route("/sessions", "/sessions", List.of());
        HttpLoad.Route gzip = new HttpLoad.Route("/sessions, gzip", "/sessions", List.of("Accept-Encoding: gzip"));
        HttpLoad.Route healthz = new HttpLoad.Route("/healthz", "/healthz", List.of());
        for (HttpLoad.Route route : List.of(sessions, gzip, healthz, healthz, gzip, sessions)) {
            HttpLoad.Window w = HttpLoad.run(d.url(), d.token(), route, opts.connections(), warmup, window, target);
            windows.add(w);
            System.out.printf("  serve   GET %-15s %d connections: %8.1f req/s (%d errors, %d bytes per response, daemon CPU"
                            + " %.0f µs per request; by thread %s)%n", route.label(), w.connections(), w.perSecond(), w.errors(),
                    w.bodyBytes(), w.targetCpuMicrosPerResponse(), w.targetCpuTicksByThread());
            if (w.errors() != 0) {
                throw new IllegalStateException("GET " + route.label() + " answered " + w.statuses() + " under load");
            }
        }
        double sessionsRate = median(windows, sessions);
        double gzipRate = median(windows, gzip);
        double healthzRate = median(windows, healthz);
        long sessionsBytes = bytes(windows, sessions);
        long gzipBytes = bytes(windows, gzip);
        long healthzBytes = bytes(windows, healthz);
        return new ListResult(n, windows, Stats.round(sessionsRate, 1), Stats.round(gzipRate, 1), Stats.round(healthzRate, 1),
                Stats.round(sessionsRate / healthzRate, 4), Stats.round(gzipRate / healthzRate, 4), sessionsBytes, gzipBytes,
                healthzBytes, sessionsRate >= TARGET_PER_SECOND);
    }

    private static double median(List<HttpLoad.Window> windows, HttpLoad.Route route) {
        return Stats.median(windows.stream().filter(w -> w.path().equals(route.label())).map(HttpLoad.Window::perSecond).toList());
    }

    private static long bytes(List<HttpLoad.Window> windows, HttpLoad.Route route) {
        return windows.stream().filter(w -> w.path().equals(route.label())).mapToLong(HttpLoad.Window::bodyBytes).max().orElse(0);
    }

    /** Removes what an earlier run left under the bench's own scratch directory. */
    static void clean(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot clear " + dir + ": " + e.getMessage(), e);
        }
    }
}
