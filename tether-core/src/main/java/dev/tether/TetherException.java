package dev.tether;

/**
 * Root of every error Tether raises. Unchecked; each subclass says what failed, on what, and
 * what to do about it.
 */
public class TetherException extends RuntimeException {
    public TetherException(String message) {
        super(message);
    }

    public TetherException(String message, Throwable cause) {
        super(message, cause);
    }
}
