package org.memstat.daemon;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The write token rule: writes are off without a token; with one, a request must carry
 * {@code Authorization: Bearer <token>}. Both sides are hashed to SHA-256 first so that
 * {@link MessageDigest#isEqual} compares equal-length arrays in constant time, whatever the presented length.
 */
final class WriteAuth {
    private final byte[] tokenDigest;

    /**
     * @param token the configured token, or {@code null} for writes off
     */
    WriteAuth(String token) {
        this.tokenDigest = token == null ? null : sha256(token);
    }

    boolean enabled() {
        return tokenDigest != null;
    }

    /** True when {@code authorization} (the header value, possibly null) carries the token. */
    boolean accepts(String authorization) {
        if (tokenDigest == null || authorization == null) {
            return false;
        }
        String prefix = "Bearer ";
        if (authorization.length() < prefix.length()
                || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return false;
        }
        return MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(prefix.length()).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
