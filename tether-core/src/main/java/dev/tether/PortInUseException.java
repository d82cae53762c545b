package dev.tether;

import java.util.List;
import java.util.stream.Collectors;

/** A fixed port a session asked for is held by someone else (or leased to another session); nothing was started. */
public class PortInUseException extends TetherException {
    private final int port;
    private final List<PortOwner> owners;

    public PortInUseException(int port, List<PortOwner> owners, String leasedTo) {
        super(message(port, owners, leasedTo));
        this.port = port;
        this.owners = List.copyOf(owners);
    }

    public int port() {
        return port;
    }

    /** Who holds it, as far as this user can see. */
    public List<PortOwner> owners() {
        return owners;
    }

    private static String message(int port, List<PortOwner> owners, String leasedTo) {
        if (leasedTo != null) {
            return "port " + port + " is leased to Tether session " + leasedTo + "; stop it or ask for another port";
        }
        if (owners.isEmpty()) {
            return "port " + port + " is in use (its holder is not visible to this user); run `tether port " + port
                    + "` as its owner or root, or ask for another port";
        }
        return "port " + port + " is held by " + owners.stream().map(PortInUseException::describe)
                .collect(Collectors.joining("; ")) + "; run `tether port " + port + "` or ask for another port";
    }

    private static String describe(PortOwner o) {
        String cmd = o.command().length() > 60 ? o.command().substring(0, 57) + "..." : o.command();
        return "pid " + o.pid() + " (" + cmd + ")"
                + o.startedAt().map(t -> ", started " + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                        .format(t.atZone(java.time.ZoneId.systemDefault()))).orElse("")
                + " by " + o.user()
                + o.session().map(s -> ", Tether session " + s).orElse("");
    }
}
