package dev.tether;

/** A {@link ProcessSpec} (or setting) was rejected while being built; nothing was started. */
public class InvalidSpecException extends TetherException {
    private final String field;

    public InvalidSpecException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The name of the rejected field, e.g. {@code argv} or {@code grace}. */
    public String field() {
        return field;
    }
}
