package ccag.server.proxy.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {
    @Test
    void textIsCountedAtThreeAndAHalfCharactersPerTokenPlusFramingPerMessage() {
        String text = "a".repeat(350);

        long n = TokenEstimator.estimate(Fixtures.json("{\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}"));

        assertThat(n).isEqualTo(100 + TokenEstimator.PER_MESSAGE);
    }

    @Test
    void systemToolsToolUseAndToolResultsCount() {
        long bare = TokenEstimator.estimate(Fixtures.json("{\"messages\":[]}"));
        long full = TokenEstimator.estimate(Fixtures.json("{\"system\":[{\"type\":\"text\",\"text\":\"" + "s".repeat(70) + "\"}],"
                + "\"tools\":[{\"name\":\"Read\",\"description\":\"" + "d".repeat(66) + "\",\"input_schema\":{}}],"
                + "\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"Read\",\"input\":{\"p\":\"x\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":\"" + "r".repeat(35) + "\"}]}]}"));

        assertThat(bare).isZero();
        // 70 + (4+66+2) + (4+9) + 35 = 190 chars → 55 tokens, + 2 messages × 10
        assertThat(full).isEqualTo(55 + 20);
    }

    @Test
    void base64IsNeverCountedAsText() {
        String big = Base64.getEncoder().encodeToString(new byte[300_000]);
        long n = TokenEstimator.estimate(Fixtures.json("{\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/jpeg\",\"data\":\"" + big + "\"}}]}]}"));

        assertThat(n).isEqualTo(TokenEstimator.IMAGE_DEFAULT + TokenEstimator.PER_MESSAGE);
    }

    @Test
    void pngDimensionsGiveTheImageCost() {
        byte[] png = new byte[33];
        byte[] sig = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        System.arraycopy(sig, 0, png, 0, sig.length);
        png[18] = 0x01; // width 0x0100 = 256 at offset 16..19 (big-endian)
        png[22] = 0x01; // height 256
        String data = Base64.getEncoder().encodeToString(png);

        long tokens = TokenEstimator.image(Fixtures.json("{\"type\":\"base64\",\"data\":\"" + data + "\"}"));

        assertThat(tokens).isEqualTo((256 * 256 + 749) / 750);
    }

    @Test
    void pdfsArePricedPerEstimatedPage() {
        String pdf = Base64.getEncoder().encodeToString(new byte[7_000]);
        long n = TokenEstimator.estimate(Fixtures.json("{\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"" + pdf + "\"}}]}]}"));

        assertThat(n).isEqualTo(3 * TokenEstimator.TOKENS_PER_PDF_PAGE + TokenEstimator.PER_MESSAGE);
    }
}
