package ccag.server.auth.session;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt password hashes (the verification compares in constant time). */
public final class Passwords {
    /** bcrypt cost: 2^10 rounds, OWASP's floor; the only password is the bootstrap admin's. */
    static final int COST = 10;
    /** Verified when the user does not exist, so that an unknown name costs as much time as a wrong password. */
    private final String decoy;

    public Passwords() {
        this.decoy = hash("decoy-password-for-unknown-users");
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    public boolean verify(String password, String hash) {
        String h = hash == null ? decoy : hash;
        boolean ok = BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8), h.getBytes(StandardCharsets.UTF_8)).verified;
        return ok && hash != null;
    }
}
