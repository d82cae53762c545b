package dev.tether.junit5;

/** When a {@link TetherExtension}'s services start and stop. */
public enum ServiceLifecycle {
    /** Started before all tests of the class (before {@code @BeforeAll}), stopped after all of them (after {@code @AfterAll}). */
    PER_CLASS,
    /** Started before each test (before {@code @BeforeEach}), stopped after it (after {@code @AfterEach}). */
    PER_TEST
}
