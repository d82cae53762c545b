package dev.tether.linux;

import dev.tether.PortOwner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who listens on a TCP port, from {@code /proc}: the LISTEN rows of {@code /proc/net/tcp{,6}} give
 * the sockets' inodes, a scan of every process's descriptors gives their holders. Sees only the
 * reader's network namespace, and only the processes whose descriptors this user may read.
 */
public final class LinuxPorts {
    private LinuxPorts() {}

    /** The processes holding a socket listening on {@code port}, ordered by socket then pid. */
    public static List<PortOwner> owners(int port) {
        List<ProcNetTcp.Socket> sockets = ProcNetTcp.listeners(port);
        if (sockets.isEmpty()) {
            return List.of(); // spare the descriptor scan, the expensive half
        }
        Set<Long> inodes = sockets.stream().map(ProcNetTcp.Socket::inode).collect(Collectors.toSet());
        Map<Long, Set<Long>> holders = SocketOwners.of(inodes);
        UserNames users = UserNames.read();
        List<PortOwner> out = new ArrayList<>();
        for (ProcNetTcp.Socket socket : sockets) {
            for (long pid : holders.getOrDefault(socket.inode(), Set.of())) {
                ProcFs.describe(pid).ifPresent(p -> out.add(new PortOwner(socket.port(), socket.address(), p,
                        users.name(p.uid(), pid), BootClock.startedAt(p.id().startTime()))));
            }
        }
        return List.copyOf(out);
    }
}
