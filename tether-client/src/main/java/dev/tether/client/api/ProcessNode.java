package dev.tether.client.api;

import java.util.List;

/** One live process of a session and the session's processes it started. */
public record ProcessNode(long pid, long ppid, String command, List<ProcessNode> children) {}
