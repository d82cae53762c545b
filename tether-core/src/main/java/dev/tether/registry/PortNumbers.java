package dev.tether.registry;

/** The valid range of TCP ports a lease or a session may name. */
final class PortNumbers {
    static final int MIN = 1;
    static final int MAX = 65_535;

    private PortNumbers() {}

    static int check(int port) {
        if (port < MIN || port > MAX) {
            throw new IllegalArgumentException("port must be " + MIN + ".." + MAX + ", got " + port);
        }
        return port;
    }
}
