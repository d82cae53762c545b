package dev.tether.internal;

import dev.tether.CloseReport;
import dev.tether.Session;
import dev.tether.StopReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * What a supervisor owns, cleaned up in reverse order of registration (LIFO), each entry exactly
 * once however many threads close at the same time, one failure not stopping the rest, each
 * cleanup bounded by a timeout so a hung one cannot hang the exit. Sessions registered one after
 * another, with no resource between them, are independent trees and are stopped together.
 */
public final class CleanupStack {
    private final List<Entry> entries = new ArrayList<>(); // guarded by this
    private final CompletableFuture<CloseReport> report = new CompletableFuture<>();
    private boolean closing; // guarded by this

    private sealed interface Entry permits ResourceEntry, SessionEntry {}

    private record ResourceEntry(String name, Runnable cleanup) implements Entry {}

    private record SessionEntry(Session session) implements Entry {}

    /**
     * Registers a cleanup; false when the stack is already closing (the caller must clean up
     * itself: nothing registered late is left unmanaged).
     */
    public synchronized boolean push(String name, Runnable cleanup) {
        if (closing) {
            return false;
        }
        entries.add(new ResourceEntry(name, cleanup));
        return true;
    }

    public synchronized boolean push(Session session) {
        if (closing) {
            return false;
        }
        entries.add(new SessionEntry(session));
        return true;
    }

    /** Forgets a session that ended by itself. */
    public synchronized void remove(Session session) {
        entries.removeIf(e -> e instanceof SessionEntry(Session s) && s == session);
    }

    /** Whether {@link #close} has begun. */
    public synchronized boolean isClosing() {
        return closing;
    }

    /**
     * Cleans everything up, newest first, within {@code budget}; concurrent callers get the same
     * report once it is done.
     *
     * @param stopSession starts a session's stop with at most the given grace and returns its future
     */
    public CloseReport close(Duration budget, Duration perResourceTimeout,
                             BiFunction<Session, Duration, CompletableFuture<StopReport>> stopSession) {
        List<Entry> todo;
        boolean first;
        synchronized (this) {
            first = !closing;
            closing = true;
            todo = first ? new ArrayList<>(entries) : List.of();
            entries.clear();
        }
        if (!first) {
            // Wait outside the lock: the sessions being stopped call remove() when they end.
            return report.join();
        }
        long t0 = System.nanoTime();
        long deadline = t0 + budget.toNanos();
        List<CloseReport.Cleaned> cleaned = new ArrayList<>();
        List<CloseReport.Failure> failures = new ArrayList<>();
        int i = todo.size() - 1;
        while (i >= 0) {
            if (todo.get(i) instanceof ResourceEntry r) {
                cleanResource(r, remaining(deadline, perResourceTimeout), cleaned, failures);
                i--;
                continue;
            }
            List<Session> batch = new ArrayList<>();
            while (i >= 0 && todo.get(i) instanceof SessionEntry(Session s)) {
                batch.add(s);
                i--;
            }
            stopSessions(batch, deadline, stopSession, cleaned, failures);
        }
        CloseReport r = new CloseReport(cleaned, failures, Duration.ofNanos(System.nanoTime() - t0));
        report.complete(r);
        return r;
    }

    private static void cleanResource(ResourceEntry r, Duration timeout, List<CloseReport.Cleaned> cleaned,
                                      List<CloseReport.Failure> failures) {
        long t0 = System.nanoTime();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("tether-cleanup-" + r.name()).start(() -> {
            try {
                r.cleanup().run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            done.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            cleaned.add(new CloseReport.Cleaned(r.name(), Duration.ofNanos(System.nanoTime() - t0)));
        } catch (ExecutionException e) {
            failures.add(new CloseReport.Failure(r.name(), String.valueOf(e.getCause()), e.getCause()));
        } catch (TimeoutException e) {
            failures.add(new CloseReport.Failure(r.name(), "did not finish within " + timeout, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(new CloseReport.Failure(r.name(), "interrupted", e));
        }
    }

    private static void stopSessions(List<Session> batch, long deadline,
                                     BiFunction<Session, Duration, CompletableFuture<StopReport>> stopSession,
                                     List<CloseReport.Cleaned> cleaned, List<CloseReport.Failure> failures) {
        long t0 = System.nanoTime();
        List<CompletableFuture<StopReport>> stops = new ArrayList<>();
        for (Session s : batch) {
            Duration grace = s.spec().stopPolicy().grace();
            Duration left = remaining(deadline, grace);
            stops.add(stopSession.apply(s, left));
        }
        for (int k = 0; k < batch.size(); k++) {
            Session s = batch.get(k);
            String name = "session " + s.id() + " (" + s.name() + ")";
            try {
                StopReport r = stops.get(k).join();
                if (r.clean()) {
                    cleaned.add(new CloseReport.Cleaned(name, Duration.ofNanos(System.nanoTime() - t0)));
                } else {
                    failures.add(new CloseReport.Failure(name, r.survivors() + " process(es) survived SIGKILL", null));
                }
            } catch (RuntimeException e) {
                failures.add(new CloseReport.Failure(name, String.valueOf(e), e));
            }
        }
    }

    private static Duration remaining(long deadlineNanos, Duration cap) {
        long left = Math.max(0, deadlineNanos - System.nanoTime());
        return Duration.ofNanos(Math.min(left, cap.toNanos()));
    }
}
