package ccag.server.persistence;

import java.time.Instant;
import java.util.UUID;

/** One browser login in flight (see OidcLoginDao). */
public record OidcLoginRow(UUID id, String kind, UUID idpId, String pollSecretHash, String verificationCode,
                           String nonce, String codeVerifier, String redirectUri, String status, String failure,
                           Instant tokenExpiresAt, UUID userId, Instant createdAt, Instant expiresAt) {
    @Override
    public String toString() {
        return "OidcLoginRow[id=" + id + ", kind=" + kind + ", status=" + status + "]";
    }
}
