package dev.tether.internal;

import dev.tether.Containment;
import dev.tether.TetherException;
import dev.tether.linux.LinuxPlatform;
import dev.tether.portable.PortablePlatform;
import dev.tether.spi.Platform;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the platform once per containment level: the strongest available unless one is asked
 * for. Never a silent downgrade: the level in force, and what it cannot catch, is logged once at
 * INFO; asking for a level the machine cannot give is an error that says how to get it.
 */
public final class Platforms {
    private static final Logger log = LoggerFactory.getLogger(Platforms.class);
    private static final Set<Containment> announced = EnumSet.noneOf(Containment.class);

    private Platforms() {}

    public static Platform select(Optional<Containment> wanted) {
        Platform p = choose(wanted);
        synchronized (announced) {
            if (announced.add(p.containment())) {
                log.info("Tether containment: {} ({})", p.containment(), p.containment().summary());
            }
        }
        return p;
    }

    /** The best level this JVM can give, without creating anything. */
    public static Containment best() {
        if (!LinuxPlatform.usable()) {
            return Containment.PORTABLE;
        }
        return LinuxPlatform.cgroupsAvailable() ? Containment.CGROUP : Containment.PROCESS_GROUP_AND_MARKER;
    }

    private static Platform choose(Optional<Containment> wanted) {
        boolean linux = LinuxPlatform.usable();
        if (wanted.isEmpty()) {
            if (!linux) {
                log.info("native access is not enabled for Tether (or this is not Linux): using the portable backend;"
                        + " run with --enable-native-access=ALL-UNNAMED for cgroup or process-group containment");
                return new PortablePlatform();
            }
            return LinuxPlatform.create(true);
        }
        return switch (wanted.get()) {
            case PORTABLE -> new PortablePlatform();
            case PROCESS_GROUP_AND_MARKER -> {
                requireLinux(wanted.get(), linux);
                yield LinuxPlatform.create(false);
            }
            case CGROUP -> {
                requireLinux(wanted.get(), linux);
                if (!LinuxPlatform.cgroupsAvailable()) {
                    throw new TetherException("CGROUP containment was asked for, but this process cannot create cgroup v2"
                            + " directories under its own cgroup: run as root, in a delegated subtree"
                            + " (systemd-run --user --scope -p Delegate=yes ...), or ask for PROCESS_GROUP_AND_MARKER");
                }
                yield LinuxPlatform.create(true);
            }
        };
    }

    private static void requireLinux(Containment wanted, boolean linux) {
        if (!linux) {
            throw new TetherException(wanted + " containment needs Linux with native access enabled:"
                    + " run with --enable-native-access=ALL-UNNAMED (or Enable-Native-Access in the jar manifest)");
        }
    }
}
