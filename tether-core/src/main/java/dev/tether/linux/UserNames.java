package dev.tether.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Resolves user ids to names: from {@code /etc/passwd}, else through the system's name service
 * (the JDK's lookup of the owner of {@code /proc/<pid>}, which sees LDAP and the like), else the
 * number itself. A snapshot: read once per {@link #read()}.
 */
public final class UserNames {
    private static final Path PASSWD = Path.of("/etc/passwd");
    private static final Path PROC = Path.of("/proc");
    /** {@code name:password:uid:gid:gecos:home:shell}. */
    private static final int NAME_FIELD = 0;
    private static final int UID_FIELD = 2;

    private final Map<Integer, String> passwd;

    private UserNames(Map<Integer, String> passwd) {
        this.passwd = passwd;
    }

    /** The names in {@code /etc/passwd} now; none when it cannot be read. */
    public static UserNames read() {
        byte[] data = ProcFs.read(PASSWD);
        return new UserNames(data == null ? Map.of() : parsePasswd(new String(data, StandardCharsets.UTF_8)));
    }

    static UserNames of(Map<Integer, String> passwd) {
        return new UserNames(Map.copyOf(passwd));
    }

    /**
     * The name of {@code uid}, the real user of process {@code pid}; the number as text when no
     * name is known (or {@code uid} is negative, i.e. unknown).
     */
    public String name(int uid, long pid) {
        if (uid < 0) {
            return "?";
        }
        String name = passwd.get(uid);
        if (name != null) {
            return name;
        }
        return fromNameService(uid, pid);
    }

    /**
     * The owner of {@code /proc/<pid>} is the process's effective user (root when it is not
     * dumpable), so its name is used only when that owner is {@code uid}.
     */
    private static String fromNameService(int uid, long pid) {
        Path dir = PROC.resolve(Long.toString(pid));
        try {
            if (Files.getAttribute(dir, "unix:uid") instanceof Integer owner && owner == uid) {
                return Files.getOwner(dir).getName();
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // gone, or no unix attribute view here
        }
        return Integer.toString(uid);
    }

    /** uid → name for every well-formed line; the first line wins for a uid listed twice. */
    static Map<Integer, String> parsePasswd(String text) {
        Map<Integer, String> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("+") || line.startsWith("-")) {
                continue; // comments and NIS compat entries
            }
            String[] f = line.split(":", -1);
            if (f.length <= UID_FIELD || f[NAME_FIELD].isEmpty()) {
                continue;
            }
            try {
                out.putIfAbsent(Integer.parseInt(f[UID_FIELD]), f[NAME_FIELD]);
            } catch (NumberFormatException e) {
                // malformed line
            }
        }
        return out;
    }
}
