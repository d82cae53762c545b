package dev.tether.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ../shared/chaos scenarios and probes, for tests: commands to start a scenario with a fresh
 * tag, and the kit's own counters ({@code survivors}, {@code zombies}, {@code port-free}) to check
 * what a stop left behind. Cleanup is by tag ({@code reap}), never by name.
 */
public final class Chaos {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Chaos() {}

    /** The chaos directory: {@code -Dtether.chaos.dir}, else {@code ../shared/chaos} above the working directory. */
    public static Path dir() {
        String prop = System.getProperty("tether.chaos.dir");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("chaos");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find ../shared/chaos; set -Dtether.chaos.dir");
    }

    /** A tag unique to this JVM run and call site. */
    public static String newTag(String what) {
        return "t" + ProcessHandle.current().pid() + "-" + what + "-" + COUNTER.incrementAndGet();
    }

    /** argv for a scenario: {@code <dir>/<scenario> TAG args...}. */
    public static List<String> command(String scenario, String tag, Object... args) {
        List<String> argv = new ArrayList<>();
        argv.add(dir().resolve(scenario).toString());
        argv.add(tag);
        for (Object a : args) {
            argv.add(String.valueOf(a));
        }
        return argv;
    }

    /** Live (non-zombie) processes carrying {@code CHAOS_TAG=tag}, counted by the kit's own probe. */
    public static int survivors(String tag) {
        return Integer.parseInt(run("survivors", tag).strip());
    }

    /** Zombies whose parent is a live tagged process. */
    public static int zombies(String tag) {
        return Integer.parseInt(run("zombies", tag).strip());
    }

    /** Whether 127.0.0.1:port can be bound now (the kit's probe, no SO_REUSEADDR). */
    public static boolean portFree(int port) {
        return exitCode(List.of(dir().resolve("port-free").toString(), String.valueOf(port))) == 0;
    }

    /**
     * Whether something listens on TCP {@code port}, read from {@code /proc/net/tcp} and
     * {@code tcp6} without binding: what to poll while waiting for port-holder to take its port.
     * Polling {@link #portFree} instead binds the port for a moment each time, and a holder whose
     * bind lands in that moment fails and never holds it.
     */
    public static boolean portHeld(int port) {
        String local = String.format(":%04X ", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && (f[1] + " ").endsWith(local) && f[3].equals("0A")) { // 0A: LISTEN
                        return true;
                    }
                }
            } catch (IOException e) {
                // no IPv6 table: the other one decides
            }
        }
        return false;
    }

    /** Safety net: stops and kills every process carrying the tag. */
    public static void reap(String tag) {
        exitCode(List.of(dir().resolve("reap").toString(), tag));
    }

    /**
     * A port nobody holds right now, for a scenario to bind a moment later. Taken below the
     * kernel's ephemeral range (where no outbound connection and no bind to port 0 lands in
     * between) and checked bindable without {@code SO_REUSEADDR}, as port-holder binds it: a port
     * that a closed server left in TIME_WAIT takes a Java bind, which reuses addresses, but
     * refuses port-holder's. Above Tether's own default range for {@code PortRequest.any()}.
     */
    public static int freePort() {
        int low = EPHEMERAL_LOW - FREE_PORT_SPAN;
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = low + ThreadLocalRandom.current().nextInt(FREE_PORT_SPAN);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException e) {
                // held, or in TIME_WAIT: try another
            }
        }
        throw new IllegalStateException("no bindable port in " + low + ".." + (EPHEMERAL_LOW - 1));
    }

    private static final int FREE_PORT_SPAN = 2_000;
    /** The first port of the kernel's ephemeral range (32768 unless configured otherwise). */
    private static final int EPHEMERAL_LOW = ephemeralLow();

    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Math.max(30_000 + FREE_PORT_SPAN, Integer.parseInt(range.split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static String run(String probe, String tag) {
        try {
            Process p = new ProcessBuilder(dir().resolve(probe).toString(), tag).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(probe + " " + tag + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int exitCode(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(argv + " timed out");
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
