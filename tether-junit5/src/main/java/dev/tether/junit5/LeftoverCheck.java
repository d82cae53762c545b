package dev.tether.junit5;

import dev.tether.ProcessSpec;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Checks, independently of the stop that just ran, that stopped services left nothing: no live
 * process whose environment carries one of their session markers (read from {@code /proc}), and
 * each port bindable the way a server binds it.
 *
 * <p>Limits: the scan sees only processes this user may read, and none off Linux; a process that
 * replaced its environment ({@code env -i}) carries no marker (containment still stopped it, but this
 * check cannot see it).
 */
final class LeftoverCheck {
    private static final Path PROC = Path.of("/proc");
    private static final String MARKER_PREFIX = ProcessSpec.SESSION_MARKER + "=";
    private static final Duration RECHECK_EVERY = Duration.ofMillis(20);

    private LeftoverCheck() {}

    /** Live processes carrying a marker of {@code sessionToService}'s keys. */
    static List<ServicesLeftBehindException.Survivor> survivors(Map<String, String> sessionToService) {
        List<ServicesLeftBehindException.Survivor> out = new ArrayList<>();
        if (sessionToService.isEmpty() || !Files.isDirectory(PROC)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path p : ds) {
                sessionOf(p).filter(sessionToService::containsKey).ifPresent(session -> out.add(
                        new ServicesLeftBehindException.Survivor(sessionToService.get(session), session,
                                Long.parseLong(p.getFileName().toString()), command(p))));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc to look for survivors: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Whether a server could bind {@code port} again within {@code patience}: with
     * {@code SO_REUSEADDR}, as servers do, so a closed connection's TIME_WAIT does not count,
     * while any listener does.
     */
    static boolean bindable(int port, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!bindableNow(port)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(RECHECK_EVERY.toNanos());
        }
        return true;
    }

    private static boolean bindableNow(int port) {
        return canBind(StandardProtocolFamily.INET, "0.0.0.0", port)
                && canBind(StandardProtocolFamily.INET, "127.0.0.1", port)
                && canBind(StandardProtocolFamily.INET6, "::", port);
    }

    private static boolean canBind(ProtocolFamily family, String address, int port) {
        ServerSocketChannel channel;
        try {
            channel = ServerSocketChannel.open(family);
        } catch (IOException | UnsupportedOperationException e) {
            return true; // no such family here, so nothing holds the port in it
        }
        try (channel) {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(InetAddress.ofLiteral(address), port));
            return true;
        } catch (BindException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot check whether port " + port + " is free: " + e.getMessage(), e);
        }
    }

    /** The session marker in a live process's initial environment, if it has one. */
    private static Optional<String> sessionOf(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.ISO_8859_1);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            if (state == 'Z' || state == 'X') {
                return Optional.empty();
            }
            byte[] env = Files.readAllBytes(proc.resolve("environ"));
            int start = 0;
            for (int i = 0; i <= env.length; i++) {
                if (i == env.length || env[i] == 0) {
                    String entry = new String(env, start, i - start, StandardCharsets.UTF_8);
                    if (entry.startsWith(MARKER_PREFIX)) {
                        return Optional.of(entry.substring(MARKER_PREFIX.length()));
                    }
                    start = i + 1;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile, or not ours to read
        }
        return Optional.empty();
    }

    private static String command(Path proc) {
        try {
            byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
            String cmd = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
            return cmd.isEmpty() ? "[" + Files.readString(proc.resolve("comm")).strip() + "]" : cmd;
        } catch (IOException e) {
            return "(gone)";
        }
    }
}
