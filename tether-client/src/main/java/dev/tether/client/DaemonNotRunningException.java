package dev.tether.client;

/** No daemon answers for a home or address; the message says where it looked and how to start one. */
public class DaemonNotRunningException extends RuntimeException {
    public DaemonNotRunningException(String message, Throwable cause) {
        super(message, cause);
    }
}
