package dev.tether.spi;

import dev.tether.ProcessSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * A validated request to spawn: the spec, the executable resolved to an absolute path, the full
 * environment (markers included), the working directory, and the scope to spawn into.
 */
public record SpawnRequest(ProcessSpec spec, Path executable, Map<String, String> environment, Path directory,
                           SessionScope scope) {
    public SpawnRequest {
        environment = Map.copyOf(environment);
    }
}
