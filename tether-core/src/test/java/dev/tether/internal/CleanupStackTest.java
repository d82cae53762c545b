package dev.tether.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CloseReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CleanupStackTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    private static CloseReport close(CleanupStack stack, Duration timeout) {
        return stack.close(LONG, timeout, (s, g) -> CompletableFuture.failedFuture(new AssertionError("no sessions here")));
    }

    @Test
    void cleansInReverseOrderOfRegistration() {
        CleanupStack stack = new CleanupStack();
        List<String> order = new CopyOnWriteArrayList<>();
        for (String n : List.of("a", "b", "c")) {
            stack.push(n, () -> order.add(n));
        }
        CloseReport r = close(stack, LONG);
        assertThat(order).containsExactly("c", "b", "a");
        assertThat(r.cleaned()).extracting(CloseReport.Cleaned::name).containsExactly("c", "b", "a");
        assertThat(r.clean()).isTrue();
    }

    @Test
    void concurrentClosesCleanEachResourceExactlyOnce() throws Exception {
        CleanupStack stack = new CleanupStack();
        AtomicInteger[] counts = new AtomicInteger[50];
        for (int i = 0; i < counts.length; i++) {
            AtomicInteger c = counts[i] = new AtomicInteger();
            stack.push("r" + i, c::incrementAndGet);
        }
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<CloseReport>> reports = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                reports.add(pool.submit(() -> {
                    go.await();
                    return close(stack, LONG);
                }));
            }
            go.countDown();
            CloseReport first = reports.getFirst().get();
            for (Future<CloseReport> f : reports) {
                assertThat(f.get()).isSameAs(first);
            }
        }
        for (AtomicInteger c : counts) {
            assertThat(c.get()).isEqualTo(1);
        }
    }

    @Test
    void oneFailureDoesNotStopTheRestAndAllAreReported() {
        CleanupStack stack = new CleanupStack();
        AtomicInteger ran = new AtomicInteger();
        stack.push("ok-1", ran::incrementAndGet);
        stack.push("bad-1", () -> {
            throw new IllegalStateException("disk gone");
        });
        stack.push("ok-2", ran::incrementAndGet);
        stack.push("bad-2", () -> {
            throw new IllegalArgumentException("socket gone");
        });
        CloseReport r = close(stack, LONG);
        assertThat(ran.get()).isEqualTo(2);
        assertThat(r.failures()).extracting(CloseReport.Failure::name).containsExactly("bad-2", "bad-1");
        assertThat(r.failures().get(1).reason()).contains("disk gone");
        assertThat(r.cleaned()).extracting(CloseReport.Cleaned::name).containsExactly("ok-2", "ok-1");
    }

    @Test
    void aHungCleanupIsCutOffByItsTimeout() {
        CleanupStack stack = new CleanupStack();
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger after = new AtomicInteger();
        stack.push("after-the-hung-one", after::incrementAndGet);
        stack.push("hung", () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            CloseReport r = close(stack, Duration.ofMillis(200));
            assertThat(r.failures()).singleElement().satisfies(f -> {
                assertThat(f.name()).isEqualTo("hung");
                assertThat(f.reason()).contains("did not finish within");
            });
            assertThat(after.get()).isEqualTo(1);
        } finally {
            never.countDown();
        }
    }

    @Test
    void registrationAfterCloseIsRefused() {
        CleanupStack stack = new CleanupStack();
        close(stack, LONG);
        assertThat(stack.push("late", () -> { })).isFalse();
    }

    @Test
    void registrationIsThreadSafe() throws Exception {
        CleanupStack stack = new CleanupStack();
        AtomicInteger ran = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        stack.push("r", ran::incrementAndGet);
                    }
                });
            }
        }
        CloseReport r = close(stack, LONG);
        assertThat(ran.get()).isEqualTo(2000);
        assertThat(r.cleaned()).hasSize(2000);
    }
}
