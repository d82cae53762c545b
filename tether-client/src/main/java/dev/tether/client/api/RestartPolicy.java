package dev.tether.client.api;

import java.time.Duration;

/**
 * What happens when a session's main process exits by itself. {@code never} (the default) leaves
 * it ended; {@code on-failure} starts it again after a non-zero exit or a signal, waiting
 * {@code backoff}, doubled each time up to {@code maxBackoff}, at most {@code maxRestarts} times,
 * after which the session is {@code FAILED}. In JSON {@code "never"}, {@code "on-failure"} or
 * {@code {"policy": "on-failure", "max_restarts": 3, "backoff": "1s", "max_backoff": "30s"}}.
 */
public record RestartPolicy(String policy, Integer maxRestarts, Duration backoff, Duration maxBackoff) {
    public static final String NEVER = "never";
    public static final String ON_FAILURE = "on-failure";

    public static RestartPolicy never() {
        return new RestartPolicy(NEVER, null, null, null);
    }

    public static RestartPolicy onFailure(int maxRestarts, Duration backoff) {
        return new RestartPolicy(ON_FAILURE, maxRestarts, backoff, null);
    }
}
