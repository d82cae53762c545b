package dev.tether.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Injects, for the named service of a {@link TetherExtension}, its TCP port (an {@code int} or {@code Integer} parameter). */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ServicePort {
    /** The service's name. */
    String value();
}
