package dev.tether;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A process holding a listening TCP socket, as seen at the moment of the look (it may be gone by
 * the time this is read; {@link ProcessId#isAlive()} tells). One per socket and holder: a process
 * listening on both {@code 0.0.0.0} and {@code ::}, or two processes sharing a socket after a
 * fork, give two owners.
 *
 * @param port      the TCP port
 * @param address   the local address the socket listens on: {@code 127.0.0.1}, {@code 0.0.0.0},
 *                  {@code ::}, or {@code ::ffff:127.0.0.1} for an IPv6 socket bound to an IPv4 address
 * @param process   the holder: identity, parent, command line, uid, and its Tether session if it has one
 * @param user      the name of the holder's real user; the uid as text when it has no name, {@code ?} when unknown
 * @param startedAt when the holder started, to about a second; empty when the boot time is unreadable
 */
public record PortOwner(int port, String address, ProcessInfo process, String user, Optional<Instant> startedAt) {

    public PortOwner {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    public long pid() {
        return process.pid();
    }

    /** The holder's identity, to signal it safely or to check it still lives. */
    public ProcessId id() {
        return process.id();
    }

    /** The holder's command line. */
    public String command() {
        return process.command();
    }

    /** The Tether session the holder belongs to ({@code TETHER_SESSION} in its environment), if any. */
    public Optional<String> session() {
        return process.session();
    }
}
