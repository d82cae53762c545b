/**
 * The durable registry: which supervisors ran, which sessions they started and how far each got,
 * and which ports are leased — in an embedded SQLite file at {@code $TETHER_HOME/registry.db}.
 *
 * <p>Intent is written before action: a session's row (with its marker, cgroup, port and
 * directory) is committed in state {@code STARTING} before anything is spawned, so a supervisor
 * killed at any instant leaves rows from which reconciliation can find what to stop and remove.
 * Entry point: {@link dev.tether.registry.Registry}.
 */
package dev.tether.registry;
