package dev.tether;

/** An inclusive range of TCP ports, e.g. {@code 20000-29999}. */
public record PortRange(int first, int last) {
    public static final PortRange DEFAULT = new PortRange(20000, 29999);

    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new InvalidSpecException("port range", "must be LOW-HIGH within 1..65535 with LOW <= HIGH, got " + first + "-" + last);
        }
    }

    /** Parses {@code LOW-HIGH}. */
    public static PortRange parse(String text) {
        String[] parts = text.strip().split("-");
        try {
            if (parts.length == 2) {
                return new PortRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new InvalidSpecException("port range", "'" + text + "' is not LOW-HIGH, e.g. 20000-29999");
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    public int size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
