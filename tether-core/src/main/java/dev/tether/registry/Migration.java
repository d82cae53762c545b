package dev.tether.registry;

import java.util.List;
import java.util.Objects;

/**
 * One step of the registry schema: applied once, in version order, inside the same transaction
 * that records its version. A released migration never changes; a new schema is a new step.
 *
 * @param version     the schema version after this step (1, 2, ...)
 * @param description what the step changes, for logs
 * @param statements  the SQL to run, one statement each
 */
record Migration(int version, String description, List<String> statements) {
    Migration {
        if (version < 1) {
            throw new IllegalArgumentException("migration versions start at 1, got " + version);
        }
        Objects.requireNonNull(description, "description");
        statements = List.copyOf(statements);
    }
}
