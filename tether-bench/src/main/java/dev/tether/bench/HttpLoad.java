package dev.tether.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A closed-loop HTTP/1.1 load client on plain sockets: N connections, each on its own platform
 * thread, keep-alive, one request in flight per connection; a warm-up, then a fixed measured
 * window. It parses just enough of a response (status, {@code Content-Length} or chunked body)
 * to read it whole, and counts what ended inside the window.
 */
final class HttpLoad {
    /**
     * One measured window. {@code targetCpuTicks}: the server process's utime+stime over the
     * window; {@code clientCpuMillis}: this JVM's CPU over it (the load client shares the cores).
     */
    record Window(String path, int connections, double warmupSeconds, double seconds, long responses, long errors,
                  Map<Integer, Long> statuses, long bodyBytes, double perSecond, long targetCpuTicks,
                  double targetCpuMicrosPerResponse, Map<String, Long> targetCpuTicksByThread, double clientCpuMillis) {}

    /** The server process under load, read at the window's start and end. */
    interface Target {
        long cpuTicks();

        Map<String, Long> cpuTicksByThread();
    }

    private HttpLoad() {}

    /** A request to load the server with: {@code label} names it in the report, {@code headers} are extra lines. */
    record Route(String label, String path, List<String> headers) {}

    static Window run(URI base, String token, Route route, int connections, Duration warmup, Duration window,
                      Target target) {
        String path = route.label();
        StringBuilder head = new StringBuilder("GET " + route.path() + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                + base.getPort() + "\r\nAuthorization: Bearer " + token + "\r\nAccept: */*\r\n");
        route.headers().forEach(h -> head.append(h).append("\r\n"));
        byte[] request = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        long from = start + warmup.toNanos();
        long to = from + window.toNanos();
        List<Worker> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < connections; i++) {
            Worker w = new Worker(base, request, from, to, failure);
            workers.add(w);
            w.thread = Thread.ofPlatform().name("http-load-" + i).start(w);
        }
        LockSupport.parkNanos(Math.max(0, from - System.nanoTime()));
        long cpu0 = target.cpuTicks();
        Map<String, Long> threads0 = target.cpuTicksByThread();
        long client0 = processCpuNanos();
        LockSupport.parkNanos(Math.max(0, to - System.nanoTime()));
        long cpu1 = target.cpuTicks();
        Map<String, Long> threads1 = target.cpuTicksByThread();
        long client1 = processCpuNanos();
        for (Worker w : workers) {
            try {
                w.thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (w.thread.isAlive()) {
                throw new IllegalStateException("a load connection to " + path + " is stuck 30 s after the window");
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("load on " + path + " failed: " + failure.get(), failure.get());
        }
        long responses = workers.stream().mapToLong(w -> w.counted).sum();
        long errors = workers.stream().mapToLong(w -> w.errors).sum();
        Map<Integer, Long> statuses = new TreeMap<>();
        workers.forEach(w -> w.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum)));
        double seconds = window.toNanos() / 1e9;
        long ticks = cpu1 - cpu0;
        return new Window(path, connections, warmup.toNanos() / 1e9, seconds, responses, errors, statuses,
                workers.stream().mapToLong(w -> w.lastBody).max().orElse(0), Stats.round(responses / seconds, 1), ticks,
                responses == 0 ? Double.NaN : Stats.round(ticks * 1e6 / Procs.TICKS_PER_SECOND / responses, 1),
                Procs.delta(threads0, threads1), Stats.round((client1 - client0) / 1e6, 1));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static final class Worker implements Runnable {
        private final URI base;
        private final byte[] request;
        private final long from;
        private final long to;
        private final AtomicReference<Throwable> failure;
        private final byte[] skip = new byte[64 * 1024];
        final Map<Integer, Long> statuses = new TreeMap<>();
        Thread thread;
        long counted;
        long errors;
        long lastBody;

        Worker(URI base, byte[] request, long from, long to, AtomicReference<Throwable> failure) {
            this.base = base;
            this.request = request;
            this.from = from;
            this.to = to;
            this.failure = failure;
        }

        @Override
        public void run() {
            Socket socket = null;
            InputStream in = null;
            OutputStream out = null;
            try {
                while (System.nanoTime() < to && failure.get() == null) {
                    if (socket == null) {
                        socket = new Socket();
                        socket.setTcpNoDelay(true);
                        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
                        socket.setSoTimeout(60_000);
                        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                        out = socket.getOutputStream();
                    }
                    out.write(request);
                    out.flush();
                    Response r = readResponse(in);
                    long now = System.nanoTime();
                    if (now >= from && now < to) {
                        counted++;
                        statuses.merge(r.status, 1L, Long::sum);
                        if (r.status != 200) {
                            errors++;
                        }
                    }
                    lastBody = r.bodyBytes;
                    if (r.close) {
                        socket.close();
                        socket = null;
                    }
                }
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // done
                    }
                }
            }
        }

        private record Response(int status, long bodyBytes, boolean close) {}

        private Response readResponse(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h; !(h = line(in)).isEmpty(); ) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            long body = 0;
            if (chunked) {
                for (long size; (size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0; ) {
                    skipFully(in, size);
                    body += size;
                    line(in);
                }
                while (!line(in).isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                skipFully(in, length);
                body = length;
            } else {
                throw new IOException("a response without Content-Length or chunked encoding (status " + status + ")");
            }
            return new Response(status, body, close);
        }

        private void skipFully(InputStream in, long n) throws IOException {
            while (n > 0) {
                int r = in.read(skip, 0, (int) Math.min(skip.length, n));
                if (r < 0) {
                    throw new IOException("connection closed inside a body");
                }
                n -= r;
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("connection closed inside a response head");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }
}
