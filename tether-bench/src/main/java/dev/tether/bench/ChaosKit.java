package dev.tether.bench;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The shared chaos kit ({@code <repo>/../shared/chaos}): scenario paths, the {@code survivors}
 * probe and the {@code reap} safety net. Every tag the bench hands out is remembered, so the end
 * of the run can check that none of them has a live process left.
 */
final class ChaosKit {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SETTLE_PAUSE = Duration.ofMillis(20);

    private final Path dir;
    private final String runId = Long.toString(ProcessHandle.current().pid());
    private final Set<String> tags = new LinkedHashSet<>();

    ChaosKit(Path dir) {
        if (!Files.isExecutable(dir.resolve("survivors")) || !Files.isExecutable(dir.resolve("deep-tree"))) {
            throw new IllegalStateException("chaos kit not found at " + dir
                    + ": pass the repository root (the kit lives in <repo>/../shared/chaos)");
        }
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path script(String name) {
        return dir.resolve(name);
    }

    /** A fresh tag, unique to this bench run, remembered for the final leak check. */
    synchronized String newTag(String what) {
        String tag = "tbench-" + runId + "-" + what;
        if (!tags.add(tag)) {
            throw new IllegalStateException("tag handed out twice: " + tag);
        }
        return tag;
    }

    synchronized List<String> tags() {
        return List.copyOf(tags);
    }

    /** Live (non-zombie) processes carrying {@code CHAOS_TAG=tag}, as the kit counts them. */
    int survivors(String tag) {
        return Integer.parseInt(run("survivors", tag).trim());
    }

    /** The pids of those processes. */
    List<Long> survivorPids(String tag) {
        List<Long> pids = new ArrayList<>();
        for (String line : run("survivors", tag, "-p").split("\n")) {
            if (!line.isBlank()) {
                pids.add(Long.parseLong(line.trim()));
            }
        }
        return pids;
    }

    /** Waits until exactly {@code count} tagged processes live; fails loudly at the deadline. */
    void awaitSurvivors(String tag, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last;
        while ((last = survivors(tag)) != count) {
            if (System.nanoTime() - deadline > 0) {
                reap(tag);
                throw new IllegalStateException(tag + ": expected " + count + " live processes within " + timeout
                        + ", the kit counts " + last);
            }
            LockSupport.parkNanos(SETTLE_PAUSE.toNanos());
        }
    }

    /** Asserts that nothing carrying the tag lives; reaps first if something does, then fails. */
    void assertNoneLeft(String tag, String after) {
        int left = survivors(tag);
        if (left != 0) {
            reap(tag);
            throw new IllegalStateException(after + ": " + left + " process(es) tagged " + tag
                    + " survived (reaped now); this is a containment failure, not a slow machine");
        }
    }

    /** The kit's safety net: SIGSTOP then SIGKILL by pid for every tagged process. */
    void reap(String tag) {
        run("reap", tag);
    }

    private String run(String script, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(dir.resolve(script).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(Redirect.from(new File("/dev/null")))
                .redirectError(Redirect.INHERIT);
        pb.environment().remove("CHAOS_TAG");
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(PROBE_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + " did not finish within " + PROBE_TIMEOUT);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(cmd + " exited " + p.exitValue());
            }
            return new String(out, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd, e);
        }
    }
}
