package ccag.server.simulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of the thinking blocks the simulator writes, checked when they come back in a later
 * turn, as Bedrock does: a gateway that alters a thinking block, or replays one from another
 * backend, is refused. The key is fixed so that conversations survive a restart of the simulator.
 */
final class ThinkingSignatures {
    private static final byte[] KEY = "ccag-bedrock-simulator-thinking-v1".getBytes(StandardCharsets.UTF_8);

    String sign(String thinking) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            byte[] tag = mac.doFinal(thinking.getBytes(StandardCharsets.UTF_8));
            // Real signatures are long opaque base64 strings; repeat the tag so clients see a similar shape.
            byte[] shaped = new byte[tag.length * 4];
            for (int i = 0; i < shaped.length; i++) {
                shaped[i] = tag[i % tag.length];
            }
            return "EqoB" + Base64.getEncoder().encodeToString(shaped);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean verify(String thinking, String signature) {
        return MessageDigest.isEqual(sign(thinking).getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
    }
}
