package dev.tether.linux;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reads the kernel's TCP socket tables, {@code /proc/net/tcp} and {@code /proc/net/tcp6}: one row
 * per socket with its local address, state and inode. Only the reader's network namespace is in
 * them. Parsing is a pure function over the text so it can be checked against sample tables.
 */
public final class ProcNetTcp {
    /** {@code TCP_LISTEN} in the kernel's {@code st} column (include/net/tcp_states.h). */
    public static final int STATE_LISTEN = 0x0A;

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final int HEX = 16;
    private static final int IPV4_HEX_DIGITS = 8;
    private static final int IPV6_HEX_DIGITS = 32;
    private static final int IPV6_GROUPS = 8;
    /** The first ten bytes of an IPv4-mapped IPv6 address are zero, the next two 0xff (RFC 4291 2.5.5.2). */
    private static final int MAPPED_PREFIX = 10;
    private static final boolean WORDS_REVERSED = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    /** Columns: sl, local, remote, st, tx:rx, tr:when, retrnsmt, uid, timeout, inode. */
    private static final int LOCAL_COLUMN = 1;
    private static final int STATE_COLUMN = 3;
    private static final int UID_COLUMN = 7;
    private static final int INODE_COLUMN = 9;

    private ProcNetTcp() {}

    /**
     * One row of a table.
     *
     * @param address local address as text ({@code 127.0.0.1}, {@code ::}, {@code ::ffff:127.0.0.1})
     * @param port    local port
     * @param state   the kernel's TCP state number ({@link #STATE_LISTEN} for a listener)
     * @param uid     effective user id of the socket's creator (not necessarily of its holders now)
     * @param inode   the socket's inode, as in the {@code socket:[inode]} links under {@code /proc/<pid>/fd}
     */
    public record Socket(String address, int port, int state, int uid, long inode) {
        public boolean isListening() {
            return state == STATE_LISTEN;
        }
    }

    /** Every socket listening on {@code port}, from both tables; empty when they cannot be read. */
    public static List<Socket> listeners(int port) {
        List<Socket> out = new ArrayList<>();
        for (Path table : TABLES) {
            byte[] data = ProcFs.read(table);
            if (data != null) {
                out.addAll(listening(new String(data, StandardCharsets.US_ASCII), port));
            }
        }
        return out;
    }

    /** The rows of a table that listen on {@code port}. */
    public static List<Socket> listening(String table, int port) {
        return parse(table).stream().filter(s -> s.isListening() && s.port() == port && s.inode() != 0).toList();
    }

    /**
     * Parses a whole table (header line included) of either family; the family is told by the
     * width of the address. Rows that do not parse are skipped.
     */
    public static List<Socket> parse(String table) {
        List<Socket> out = new ArrayList<>();
        for (String line : table.split("\n")) {
            parseRow(line).ifPresent(out::add);
        }
        return out;
    }

    static Optional<Socket> parseRow(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length <= INODE_COLUMN || !f[0].endsWith(":")) {
            return Optional.empty(); // the header ("sl local_address ...") or a blank line
        }
        int colon = f[LOCAL_COLUMN].indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        try {
            Optional<String> address = address(f[LOCAL_COLUMN].substring(0, colon));
            int port = Integer.parseInt(f[LOCAL_COLUMN].substring(colon + 1), HEX);
            int state = Integer.parseInt(f[STATE_COLUMN], HEX);
            int uid = Integer.parseInt(f[UID_COLUMN]);
            long inode = Long.parseLong(f[INODE_COLUMN]);
            return address.map(a -> new Socket(a, port, state, uid, inode));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            return Optional.empty();
        }
    }

    /**
     * Decodes the kernel's address column: the raw address as 32-bit words, each printed in host
     * byte order, so on little-endian machines (x86, arm64) the bytes of every word are reversed.
     */
    static Optional<String> address(String hex) {
        if (hex.length() != IPV4_HEX_DIGITS && hex.length() != IPV6_HEX_DIGITS) {
            return Optional.empty();
        }
        byte[] bytes = HexFormat.of().parseHex(hex);
        if (WORDS_REVERSED) {
            for (int w = 0; w < bytes.length; w += Integer.BYTES) {
                for (int i = 0; i < Integer.BYTES / 2; i++) {
                    byte b = bytes[w + i];
                    bytes[w + i] = bytes[w + Integer.BYTES - 1 - i];
                    bytes[w + Integer.BYTES - 1 - i] = b;
                }
            }
        }
        return Optional.of(bytes.length == Integer.BYTES ? ipv4(bytes, 0) : ipv6(bytes));
    }

    private static String ipv4(byte[] b, int from) {
        return (b[from] & 0xff) + "." + (b[from + 1] & 0xff) + "." + (b[from + 2] & 0xff) + "." + (b[from + 3] & 0xff);
    }

    /** RFC 5952 text: lower-case hex, the longest run of two or more zero groups as {@code ::}. */
    private static String ipv6(byte[] b) {
        if (isIpv4Mapped(b)) {
            return "::ffff:" + ipv4(b, MAPPED_PREFIX + 2);
        }
        int[] groups = new int[IPV6_GROUPS];
        for (int g = 0; g < IPV6_GROUPS; g++) {
            groups[g] = (b[2 * g] & 0xff) << Byte.SIZE | (b[2 * g + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int g = 0; g < IPV6_GROUPS; ) {
            int end = g;
            while (end < IPV6_GROUPS && groups[end] == 0) {
                end++;
            }
            if (end - g > bestLength) {
                bestStart = g;
                bestLength = end - g;
            }
            g = Math.max(end, g + 1);
        }
        StringBuilder out = new StringBuilder();
        for (int g = 0; g < IPV6_GROUPS; g++) {
            if (g == bestStart) {
                out.append("::");
                g += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[g]));
        }
        return out.toString();
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < MAPPED_PREFIX; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[MAPPED_PREFIX] & 0xff) == 0xff && (b[MAPPED_PREFIX + 1] & 0xff) == 0xff;
    }
}
