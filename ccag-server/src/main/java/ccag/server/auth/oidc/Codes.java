package ccag.server.auth.oidc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random codes of the browser logins (state, nonce, PKCE, CLI session codes) and their stored hashes. */
public final class Codes {
    /** Crockford-like alphabet: no 0/O, 1/I/L, so a code read aloud or retyped is not misread. */
    private static final char[] HUMAN = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();

    private final SecureRandom random;

    public Codes(SecureRandom random) {
        this.random = random;
    }

    /** 256 random bits, base64url without padding (43 characters). */
    public String secret() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A short code for people to compare (terminal vs. browser), e.g. {@code KQ7M-2XPD}; not a secret. */
    public String verificationCode() {
        StringBuilder sb = new StringBuilder(9);
        for (int i = 0; i < 8; i++) {
            if (i == 4) {
                sb.append('-');
            }
            sb.append(HUMAN[random.nextInt(HUMAN.length)]);
        }
        return sb.toString();
    }

    /** Hex SHA-256: codes carry 256 random bits, so a plain hash is enough to store them. */
    public static String hash(String code) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The PKCE S256 challenge of a verifier (RFC 7636 §4.2). */
    public static String pkceChallenge(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a presented code could be one of ours (43 base64url characters), before any lookup. */
    public static boolean looksLikeSecret(String code) {
        return code != null && code.matches("[A-Za-z0-9_-]{43}");
    }
}
