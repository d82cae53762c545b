package dev.tether.registry;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Tether keeps its state: {@code $TETHER_HOME}, else {@code $XDG_STATE_HOME/tether}, else
 * {@code ~/.local/state/tether} (the XDG base directory default).
 */
public final class TetherHome {
    /** The registry's file name inside the home. */
    public static final String REGISTRY_FILE = "registry.db";

    private TetherHome() {}

    /** The home for this process's environment. */
    public static Path current() {
        return resolve(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * The home for the given environment. A relative {@code XDG_STATE_HOME} is ignored, as the
     * XDG specification requires; {@code userHome} is used when {@code HOME} is not set.
     */
    public static Path resolve(Map<String, String> env, Path userHome) {
        String tetherHome = env.get("TETHER_HOME");
        if (tetherHome != null && !tetherHome.isBlank()) {
            return Path.of(tetherHome).toAbsolutePath();
        }
        String xdgState = env.get("XDG_STATE_HOME");
        if (xdgState != null && !xdgState.isBlank() && Path.of(xdgState).isAbsolute()) {
            return Path.of(xdgState, "tether");
        }
        String home = env.get("HOME");
        Path base = home != null && !home.isBlank() ? Path.of(home) : userHome;
        return base.resolve(".local").resolve("state").resolve("tether").toAbsolutePath();
    }

    /** The registry database inside {@code home}. */
    public static Path registryFile(Path home) {
        return home.resolve(REGISTRY_FILE);
    }
}
