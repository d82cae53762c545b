package dev.tether.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class's {@link TetherService}-annotated static fields as services: started before
 * its tests in declaration order (or {@link org.junit.jupiter.api.Order @Order}), each ready before
 * the next, and stopped after them with nothing left behind. The declarative form of
 * {@link TetherExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TetherExtension.class)
public @interface Tether {
    /** Services once for the class (default) or afresh for each test. */
    ServiceLifecycle lifecycle() default ServiceLifecycle.PER_CLASS;

    /** Base directory of the services' log files; default {@code target/tether-services}. */
    String logDirectory() default "";

    /** Tether home (registry, session directories); default from {@code TETHER_HOME} or {@code ~/.local/state/tether}. */
    String home() default "";
}
