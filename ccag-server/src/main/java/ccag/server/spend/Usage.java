package ccag.server.spend;

/**
 * Token usage of one request, in Anthropic's semantics (spec §5.1): {@code inputTokens} are the
 * uncached input tokens (cache reads and writes are not included), {@code outputTokens} include
 * thinking. {@code cacheCreation5mInputTokens} and {@code cacheCreation1hInputTokens} are the
 * optional breakdown of {@code cacheCreationInputTokens} by TTL (both 0 when Bedrock gave none).
 */
public record Usage(long inputTokens, long outputTokens, long cacheCreationInputTokens, long cacheReadInputTokens,
                    long cacheCreation5mInputTokens, long cacheCreation1hInputTokens) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cacheCreationInputTokens < 0 || cacheReadInputTokens < 0
                || cacheCreation5mInputTokens < 0 || cacheCreation1hInputTokens < 0) {
            throw new IllegalArgumentException("token counts are never negative");
        }
    }

    public static Usage of(long input, long output, long cacheCreation, long cacheRead) {
        return new Usage(input, output, cacheCreation, cacheRead, 0, 0);
    }

    /** The whole prompt: uncached input + cache writes + cache reads. */
    public long totalInputTokens() {
        return inputTokens + cacheCreationInputTokens + cacheReadInputTokens;
    }
}
