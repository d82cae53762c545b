package dev.tether;

import dev.tether.internal.Platforms;
import org.junit.jupiter.api.Assumptions;

/** Which containment levels this machine can give, so tests run every level it has. */
final class TestLevels {
    private TestLevels() {}

    static boolean available(Containment level) {
        return level.ordinal() >= Platforms.best().ordinal();
    }

    static void assumeAvailable(Containment level) {
        Assumptions.assumeTrue(available(level), level + " is not available on this machine");
    }
}
