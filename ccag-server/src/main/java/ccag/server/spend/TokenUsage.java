package ccag.server.spend;

/** Tokens of one request, by kind (Anthropic semantics: input excludes cache reads and writes). */
public record TokenUsage(long input, long output, long cacheCreation, long cacheRead) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);

    public TokenUsage {
        if (input < 0 || output < 0 || cacheCreation < 0 || cacheRead < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
    }
}
