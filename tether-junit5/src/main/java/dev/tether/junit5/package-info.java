/**
 * Services for JUnit 5 tests: {@link dev.tether.junit5.TetherExtension} (or {@link dev.tether.junit5.Tether}
 * with {@link dev.tether.junit5.TetherService} fields) starts the processes a test class needs, in
 * order and each ready before the next, injects their ports, sessions and logs, and after the tests
 * stops them newest first and fails the run if anything of them survives or holds their ports.
 * One {@link dev.tether.Supervisor} per test class runs them, so its shutdown hook and guardian stop
 * them when the test JVM is signalled or killed.
 */
package dev.tether.junit5;
