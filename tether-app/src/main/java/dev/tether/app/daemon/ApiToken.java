package dev.tether.app.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The daemon's API token: 32 random bytes (base64url), created at first start in
 * {@code $TETHER_HOME/token} with mode 0600, read at later starts. Requests carry it as
 * {@code Authorization: Bearer <token>}; it is compared in constant time.
 */
final class ApiToken {
    private final byte[] expected;

    private ApiToken(String token) {
        this.expected = token.getBytes(StandardCharsets.US_ASCII);
    }

    static ApiToken loadOrCreate(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                byte[] raw = new byte[32];
                new SecureRandom().nextBytes(raw);
                String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
                } catch (FileAlreadyExistsException e) {
                    // another daemon start made it first: use theirs
                }
            }
            String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (token.length() < 16) {
                throw new IllegalStateException(file + " holds no usable token (" + token.length()
                        + " characters); delete it and the daemon makes a new one");
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return new ApiToken(token);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the API token " + file + ": " + e.getMessage(), e);
        }
    }

    /** @throws ApiException 401 unless {@code authorization} is {@code Bearer <token>} */
    void check(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ApiException(401, "unauthorized", "no token: send the header 'Authorization: Bearer <token>' with the token"
                    + " from $TETHER_HOME/token");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "unauthorized", "the Authorization header must be 'Bearer <token>'");
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(given, expected)) {
            throw new ApiException(401, "unauthorized", "wrong token: use the one in $TETHER_HOME/token of the daemon's home");
        }
    }
}
