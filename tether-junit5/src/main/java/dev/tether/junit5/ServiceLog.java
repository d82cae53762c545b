package dev.tether.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Injects, for the named service of a {@link TetherExtension}, the {@link java.nio.file.Path} of its log file (stdout and stderr). */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ServiceLog {
    /** The service's name. */
    String value();
}
