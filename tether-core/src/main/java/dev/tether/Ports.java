package dev.tether;

import dev.tether.linux.LinuxPorts;
import dev.tether.linux.ProcFs;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Optional;

/**
 * Who holds a TCP port, and whether it is free: to check that a stopped session really released
 * its ports, or to say who is in the way.
 *
 * <p>Limits: both answers are snapshots (the port may change hands right after). {@link #owners}
 * sees only listening sockets in this process's network namespace, held by processes whose
 * descriptors this user may read (other users' need root), and only on Linux; elsewhere it is
 * always empty. So a port can be not {@linkplain #isFree free} with no owner found.
 */
public final class Ports {
    public static final int MIN_PORT = 1;
    public static final int MAX_PORT = 65_535;

    private static final InetAddress IPV4_ANY = Inet4Address.ofLiteral("0.0.0.0");
    private static final InetAddress IPV4_LOOPBACK = Inet4Address.ofLiteral("127.0.0.1");
    private static final InetAddress IPV6_ANY = Inet6Address.ofLiteral("::");

    private Ports() {}

    /**
     * The processes holding a socket that listens on TCP {@code port} now (IPv4 and IPv6), with who
     * runs them and which Tether session they belong to. Empty when nobody listens there, when the
     * holders are invisible to this user, or off Linux.
     *
     * @throws InvalidSpecException when {@code port} is not 1..65535
     */
    public static List<PortOwner> owners(int port) {
        requireValid(port);
        return ProcFs.available() ? LinuxPorts.owners(port) : List.of();
    }

    /**
     * Whether a server could bind TCP {@code port} now, checked by binding, without
     * {@code SO_REUSEADDR} (so a socket lingering in TIME_WAIT counts as holding it), each of
     * {@code 0.0.0.0}, {@code 127.0.0.1} and, when this JVM has IPv6, {@code ::}, and releasing it at
     * once. False also when this process may not bind it at all (a port below 1024 without the
     * privilege).
     *
     * @throws InvalidSpecException when {@code port} is not 1..65535
     * @throws TetherException      when the check itself fails (e.g. out of file descriptors)
     */
    public static boolean isFree(int port) {
        requireValid(port);
        return canBind(StandardProtocolFamily.INET, IPV4_ANY, port)
                && canBind(StandardProtocolFamily.INET, IPV4_LOOPBACK, port)
                && canBind(StandardProtocolFamily.INET6, IPV6_ANY, port);
    }

    private static void requireValid(int port) {
        if (port < MIN_PORT || port > MAX_PORT) {
            throw new InvalidSpecException("port", "must be " + MIN_PORT + ".." + MAX_PORT + ", got " + port);
        }
    }

    private static boolean canBind(ProtocolFamily family, InetAddress address, int port) {
        Optional<ServerSocketChannel> opened = open(family);
        if (opened.isEmpty()) {
            return true; // no such family here, so nothing can hold the port in it
        }
        try (ServerSocketChannel channel = opened.get()) {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, false); // the JDK turns it on by default
            channel.bind(new InetSocketAddress(address, port));
            return true;
        } catch (BindException e) {
            return false;
        } catch (IOException e) {
            throw new TetherException("cannot check whether TCP port " + port + " is free on " + address.getHostAddress()
                    + ": " + e.getMessage(), e);
        }
    }

    private static Optional<ServerSocketChannel> open(ProtocolFamily family) {
        try {
            return Optional.of(ServerSocketChannel.open(family));
        } catch (UnsupportedOperationException e) {
            return Optional.empty(); // the JVM runs without this family (java.net.preferIPv4Stack)
        } catch (IOException e) {
            if (family == StandardProtocolFamily.INET6) {
                return Optional.empty(); // the kernel has no IPv6
            }
            throw new TetherException("cannot open a TCP socket to check a port: " + e.getMessage(), e);
        }
    }
}
