package dev.tether.app.daemon;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * How the daemon listens: {@code host} (loopback unless {@code allowRemote}), {@code port}
 * ({@code 0} picks a free one), and the cap on each session's log file.
 */
public record DaemonOptions(String host, int port, boolean allowRemote, long logCapBytes) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7373;

    public DaemonOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 (0 picks a free one), got " + port);
        }
        if (logCapBytes < 4096) {
            throw new IllegalArgumentException("the log cap must be at least 4096 bytes, got " + logCapBytes);
        }
        if (!allowRemote && !isLoopback(host)) {
            throw new IllegalArgumentException("binding to " + host + " exposes the daemon beyond this machine; pass"
                    + " --allow-remote to do it anyway (the token is then the only protection, and it travels unencrypted)");
        }
    }

    public static DaemonOptions defaults() {
        return new DaemonOptions(DEFAULT_HOST, DEFAULT_PORT, false, SessionLogs.DEFAULT_CAP);
    }

    public DaemonOptions withPort(int p) {
        return new DaemonOptions(host, p, allowRemote, logCapBytes);
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the address to listen on: " + host);
        }
    }
}
