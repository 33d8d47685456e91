package ccag.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Hashing and generation of bearer secrets (virtual keys, session tokens). */
public final class Secrets {
    private static final HexFormat HEX = HexFormat.of();

    private Secrets() {
    }

    /** Hex SHA-256 of the whole secret: secrets carry 256 random bits, so no salt or stretching is needed. */
    public static String sha256(String secret) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code bytes} random bytes as lower-case hex. */
    public static String randomHex(SecureRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HEX.formatHex(b);
    }

    /** Whether {@code s} is {@code prefix} followed by exactly {@code hexChars} lower-case hex digits. */
    public static boolean hasShape(String s, String prefix, int hexChars) {
        if (s == null || s.length() != prefix.length() + hexChars || !s.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** Constant-time comparison of two strings. */
    public static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** A loggable stand-in for a secret: at most its first 8 characters. */
    public static String redact(String secret) {
        if (secret == null) {
            return "null";
        }
        return (secret.length() <= 8 ? "" : secret.substring(0, 8)) + "…(" + secret.length() + " chars)";
    }
}
