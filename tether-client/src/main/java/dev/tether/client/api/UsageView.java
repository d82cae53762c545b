package dev.tether.client.api;

/**
 * What a session's processes use now: {@code source} says whether CPU came from its cgroup
 * ({@code cgroup}) or was summed over its members ({@code members}).
 */
public record UsageView(int processes, long cpuMs, long rssBytes, String source) {}
