package dev.tether;

import java.util.Optional;

/**
 * A snapshot of one live process: its identity, parent, and command line as the system reported
 * them at the moment of the look. The process may be gone by the time this is read.
 *
 * @param id        identity (boot, pid, start time)
 * @param parentPid parent pid at the time of the look (0 when unknown)
 * @param command   command line, arguments separated by spaces (the name in brackets when unreadable)
 * @param uid       owner's user id, -1 when unknown
 * @param session   the Tether session the process carries in its environment, if readable
 * @param instance  the Tether supervisor instance it carries in its environment, if readable
 * @param supervisor the supervisor process it carries in its environment ({@code pid:starttime}), if readable
 */
public record ProcessInfo(ProcessId id, long parentPid, String command, int uid, Optional<String> session,
                          Optional<String> instance, Optional<String> supervisor) {

    /** Whether the supervisor named in this process's environment still lives (same boot, pid and start time). */
    public boolean supervisorAlive() {
        return supervisor.flatMap(ProcessInfo::parseIdentity).map(ProcessId::isAlive).orElse(false);
    }

    private static Optional<ProcessId> parseIdentity(String pidColonStart) {
        int colon = pidColonStart.indexOf(':');
        try {
            return Optional.of(new ProcessId(dev.tether.internal.Identities.bootId(),
                    Long.parseLong(pidColonStart.substring(0, colon)), Long.parseLong(pidColonStart.substring(colon + 1))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    public long pid() {
        return id.pid();
    }
}
