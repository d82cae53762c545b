package dev.tether.client.api;

/** A process a cleanup stopped (or, in a dry run, would stop). */
public record KilledProcess(long pid, String command, String session) {}
