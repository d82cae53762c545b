package dev.tether.bench;

import dev.tether.Exit;
import dev.tether.ProcessSpec;
import dev.tether.Session;
import dev.tether.Stdio;
import dev.tether.StopReport;
import dev.tether.Supervisor;
import dev.tether.linux.ProcFs;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One spawn-rate run in a JVM of its own (started by {@link SpawnBench}): warm-up spawns until
 * the JIT has settled ({@link #warmUp}), then the measured ones, then one {@code result ...} line
 * on stdout. A fresh JVM per run keeps the baseline free of Tether's threads (subreaper, exit
 * watcher) and keeps a wedged run from disturbing the next: if a spawn is not seen to end within
 * {@link #SPAWN_TIMEOUT_SECONDS}, it prints a {@code hung ...} line with what it sees and halts
 * with status 3 (closing the supervisor would wait 5 s more for the exit status that never
 * comes); the hung session's instance cgroup, if any, is named in that line and removed by
 * {@link SpawnBench}.
 */
public final class SpawnWorker {
    static final int HUNG_STATUS = 3;
    private static final long SPAWN_TIMEOUT_SECONDS = 3;
    /** Measured spawns completed so far, and when the last one completed: a hung run still has a rate. */
    private static final AtomicInteger completed = new AtomicInteger();
    private static final AtomicLong lastCompletedNanos = new AtomicLong();
    private static volatile long measureStartNanos;

    private SpawnWorker() {}

    /** Warm-up goes in chunks of this many spawns. */
    private static final int WARMUP_CHUNK = 1_000;
    /** The JIT counts as settled once a chunk's compile time is below this share of its wall time. */
    private static final double SETTLED_COMPILE_SHARE = 0.02;

    /** Arguments: variant, threads, measured spawns, most warm-up spawns. */
    public static void main(String[] args) throws Exception {
        SpawnBench.Variant v = SpawnBench.Variant.valueOf(args[0]);
        int threads = Integer.parseInt(args[1]);
        int spawns = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        Supervisor sup = v.containment == null ? null
                : Supervisor.builder().containment(v.containment).registry(v.registry).shutdownHook(false).open();
        try {
            int warmedUp = warmUp(v, sup, threads, warmup);
            PhaseSamples samples = new PhaseSamples();
            completed.set(0);
            long t0 = System.nanoTime();
            measureStartNanos = t0;
            if (threads == 1) {
                loop(v, sup, spawns, samples);
            } else {
                onThreads(v, sup, spawns, threads);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.println(String.format(Locale.ROOT, "result seconds=%.6f warmup=%d", seconds, warmedUp)
                    + (threads == 1 ? " " + samples.summary() : ""));
        } catch (Hung h) {
            System.out.println("hung " + h.getMessage());
            System.out.flush();
            Runtime.getRuntime().halt(HUNG_STATUS);
        } finally {
            if (sup != null) {
                sup.close();
            }
        }
    }

    /**
     * Spawns on as many threads as the measured run uses, in chunks of {@link #WARMUP_CHUNK},
     * until the JIT compiled for less than {@link #SETTLED_COMPILE_SHARE} of a chunk's wall time
     * (and at least 2 chunks ran), or {@code most} spawns ran. Tether's per-spawn methods run once
     * per spawn, so C2 takes them only after thousands of spawns; on 2 cores a compiler thread
     * still busy then delays the children. Returns how many warm-up spawns ran.
     */
    private static int warmUp(SpawnBench.Variant v, Supervisor sup, int threads, int most) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        int done = 0;
        while (done < most) {
            int chunk = Math.min(WARMUP_CHUNK, most - done);
            long compiled = jit.getTotalCompilationTime();
            long t0 = System.nanoTime();
            if (threads == 1) {
                loop(v, sup, chunk, new PhaseSamples());
            } else {
                onThreads(v, sup, chunk, threads);
            }
            done += chunk;
            double wallMillis = (System.nanoTime() - t0) / 1e6;
            if (done >= 2 * WARMUP_CHUNK && jit.getTotalCompilationTime() - compiled < SETTLED_COMPILE_SHARE * wallMillis) {
                break;
            }
        }
        return done;
    }

    private static void onThreads(SpawnBench.Variant v, Supervisor sup, int spawns, int threads) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int share = spawns / threads + (i < spawns % threads ? 1 : 0);
            workers.add(Thread.ofPlatform().name("spawn-bench-" + i).start(() -> {
                try {
                    loop(v, sup, share, new PhaseSamples());
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        for (Thread w : workers) {
            while (w.isAlive() && failure.get() == null) {
                w.join(100);
            }
        }
        if (failure.get() instanceof Hung h) {
            throw h;
        }
        if (failure.get() != null) {
            throw new IllegalStateException(v.label + " failed on a worker thread", failure.get());
        }
    }

    private static void loop(SpawnBench.Variant v, Supervisor sup, int count, PhaseSamples samples) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(SpawnBench.TRUE).redirectInput(Redirect.INHERIT)
                .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD);
        ProcessSpec spec = ProcessSpec.builder(SpawnBench.TRUE).stdout(Stdio.discard()).stderr(Stdio.discard()).build();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            long started;
            long ended;
            if (sup == null) {
                Process p;
                try {
                    p = pb.start();
                } catch (IOException e) {
                    throw new IllegalStateException("ProcessBuilder could not start " + SpawnBench.TRUE, e);
                }
                started = System.nanoTime();
                int code = p.waitFor();
                ended = System.nanoTime();
                if (code != 0) {
                    throw new IllegalStateException(SpawnBench.TRUE + " exited " + code + " under ProcessBuilder");
                }
            } else {
                Session s = sup.start(spec);
                started = System.nanoTime();
                // One wait, as waitFor() for the baseline: the session's end comes after the exit.
                StopReport r = await(s, s.onStopped(), "its session's end");
                ended = System.nanoTime();
                if (!r.clean() || !(r.exit() instanceof Exit.Exited(int code) && code == 0)) {
                    throw new IllegalStateException(SpawnBench.TRUE + " under " + v.label + " ended badly: " + r);
                }
            }
            samples.add(t0, started, ended);
            completed.incrementAndGet();
            lastCompletedNanos.set(ended);
        }
    }

    private static <T> T await(Session s, CompletableFuture<T> f, String what) throws Exception {
        try {
            return f.get(SPAWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            String state = ProcFs.stat(s.pid()).map(st -> "state " + st.state() + " (" + st.name() + "), parent "
                    + st.parentPid()).orElse("gone from /proc");
            long start = measureStartNanos; // 0 while warming up: no measured spawn completed yet
            int done = start == 0 ? 0 : completed.get();
            double seconds = done == 0 ? 0 : (lastCompletedNanos.get() - start) / 1e9;
            String instanceCgroup = s.cgroup().map(cg -> Path.of(cg).getParent().toString()).orElse("none");
            throw new Hung(String.format(Locale.ROOT, "completed=%d seconds=%.6f cgroup=%s pid=%d waited=%ds for=%s"
                    + " proc=[%s] session=%s exit-watcher-cpu-ms=%d", done, seconds, instanceCgroup, s.pid(),
                    SPAWN_TIMEOUT_SECONDS, what.replace(' ', '_'), state, s.state(), threadCpuMillis("tether-exit-watcher")));
        } catch (ExecutionException e) {
            throw new IllegalStateException("session " + s + " failed", e.getCause());
        }
    }

    /** CPU time a named platform thread has used: a spinning watcher shows as seconds of CPU. */
    private static long threadCpuMillis(String name) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().equals(name)) {
                return mx.getThreadCpuTime(t.getThreadId()) / 1_000_000;
            }
        }
        return -1;
    }

    private static final class Hung extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Hung(String message) {
            super(message, null, false, false);
        }
    }

    /** Per-spawn phase durations (µs) of one run. */
    private static final class PhaseSamples {
        private final List<Double> start = new ArrayList<>();
        private final List<Double> toEnd = new ArrayList<>();
        private final List<Double> total = new ArrayList<>();

        void add(long t0, long started, long ended) {
            start.add((started - t0) / 1e3);
            toEnd.add((ended - started) / 1e3);
            total.add((ended - t0) / 1e3);
        }

        String summary() {
            return String.format(Locale.ROOT, "start=%.1f toEnd=%.1f total=%.1f",
                    Stats.median(start), Stats.median(toEnd), Stats.median(total));
        }
    }
}
