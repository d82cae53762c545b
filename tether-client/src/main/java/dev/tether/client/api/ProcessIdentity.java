package dev.tether.client.api;

/** A process's identity: a pid means this process only with its boot id and start time (clock ticks since boot). */
public record ProcessIdentity(long pid, long startTime, String bootId) {}
