package dev.tether.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static {@link dev.tether.ProcessSpec} or {@link ServiceSpec} field of a {@link Tether}
 * test class as a service. Attributes left empty keep what the field's value says.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TetherService {
    /** The service's name; default the field's name. */
    String name() default "";

    /** {@code any} for a free port from the configured range, or a fixed number; exported as {@code PORT}. */
    String port() default "";

    /**
     * Readiness probe: {@code tcp}, {@code tcp:PORT}, {@code http:/path}, {@code http:PORT/path} or
     * {@code log:REGEX}. Default: a TCP connect when the service has a port, else none.
     */
    String ready() default "";

    /** How long the probe may take, e.g. {@code 30s}. */
    String timeout() default "60s";
}
