package dev.tether.client.api;

/**
 * How a main process ended: {@code kind} is {@code exited} (with {@code code}), {@code signalled}
 * (with {@code signal}, e.g. {@code SIGKILL}), {@code spawn_failed} or {@code unknown} (with
 * {@code message}); {@code text} is a human form.
 */
public record ExitView(String kind, Integer code, String signal, String message, String text) {}
