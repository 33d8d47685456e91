package ccag.server.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the simulator does with one generation request (invoke or stream). Queue them with
 * {@link BedrockSimulator#enqueue}, or trigger them with {@code [[sim:…]]} directives in the last
 * user message (see docs/simulator.md). Latency knobs ride on any behaviour.
 */
public final class Behaviour {
    public enum Kind { ECHO, TEXT, TOOL_USE, THINKING, LONG, ERROR, MIDSTREAM_ERROR, TRUNCATE, CORRUPT_FRAME }

    private final Kind kind;
    private final String text;
    private final String toolName;
    private final String toolInputJson;
    private final int count;
    private final BedrockErrorKind error;
    private final Duration ttfb;
    private final Duration tokenDelay;

    private Behaviour(Kind kind, String text, String toolName, String toolInputJson, int count, BedrockErrorKind error,
                      Duration ttfb, Duration tokenDelay) {
        this.kind = kind;
        this.text = text;
        this.toolName = toolName;
        this.toolInputJson = toolInputJson;
        this.count = count;
        this.error = error;
        this.ttfb = ttfb;
        this.tokenDelay = tokenDelay;
    }

    /** The default: a short text saying what was received. */
    public static Behaviour echo() {
        return new Behaviour(Kind.ECHO, null, null, null, 0, null, null, null);
    }

    public static Behaviour text(String text) {
        return new Behaviour(Kind.TEXT, Objects.requireNonNull(text), null, null, 0, null, null, null);
    }

    /** A short text, then a tool_use block whose input streams as {@code input_json_delta}; stop_reason tool_use. */
    public static Behaviour toolUse(String name, String inputJson) {
        return new Behaviour(Kind.TOOL_USE, null, Objects.requireNonNull(name), Objects.requireNonNull(inputJson), 0, null, null, null);
    }

    /** A thinking block (thinking_delta…, signature_delta), then the echo text. */
    public static Behaviour thinking() {
        return new Behaviour(Kind.THINKING, null, null, null, 0, null, null, null);
    }

    /** A text answer of about {@code tokens} output tokens. */
    public static Behaviour longAnswer(int tokens) {
        return new Behaviour(Kind.LONG, null, null, null, Math.max(1, tokens), null, null, null);
    }

    /** An HTTP error before any byte of the answer, with Bedrock's default message for the kind. */
    public static Behaviour error(BedrockErrorKind kind) {
        return error(kind, kind.defaultMessage());
    }

    public static Behaviour error(BedrockErrorKind kind, String message) {
        return new Behaviour(Kind.ERROR, Objects.requireNonNull(message), null, null, 0, Objects.requireNonNull(kind), null, null);
    }

    /**
     * A stream that fails after {@code afterEvents} chunk events with an exception frame of that kind
     * (a generic {@code :message-type=error} frame for kinds without an event-stream member). On
     * invoke (not streamed) the same kind comes back as an HTTP error.
     */
    public static Behaviour midstreamError(int afterEvents, BedrockErrorKind kind) {
        return new Behaviour(Kind.MIDSTREAM_ERROR, kind.defaultMessage(), null, null, Math.max(0, afterEvents), kind, null, null);
    }

    public static Behaviour midstreamError(int afterEvents) {
        return midstreamError(afterEvents, BedrockErrorKind.MODEL_STREAM_ERROR);
    }

    /** A stream that ends cleanly after {@code afterEvents} chunk events, without message_stop (invoke: a cut body). */
    public static Behaviour truncate(int afterEvents) {
        return new Behaviour(Kind.TRUNCATE, null, null, null, Math.max(0, afterEvents), null, null, null);
    }

    /** A stream whose frame number {@code afterEvents} (0-based) has a wrong message CRC. */
    public static Behaviour corruptFrame(int afterEvents) {
        return new Behaviour(Kind.CORRUPT_FRAME, null, null, null, Math.max(0, afterEvents), null, null, null);
    }

    /** Time to first byte: before the first event of a stream, or before an invoke answer. */
    public Behaviour withTtfb(Duration ttfb) {
        return new Behaviour(kind, text, toolName, toolInputJson, count, error, ttfb, tokenDelay);
    }

    /** Delay before each streamed delta (and per output token of an invoke answer). */
    public Behaviour withTokenDelay(Duration delay) {
        return new Behaviour(kind, text, toolName, toolInputJson, count, error, ttfb, delay);
    }

    public Kind kind() {
        return kind;
    }

    String text() {
        return text;
    }

    String toolName() {
        return toolName;
    }

    String toolInputJson() {
        return toolInputJson;
    }

    int count() {
        return count;
    }

    BedrockErrorKind error() {
        return error;
    }

    Optional<Duration> ttfb() {
        return Optional.ofNullable(ttfb);
    }

    Optional<Duration> tokenDelay() {
        return Optional.ofNullable(tokenDelay);
    }

    @Override
    public String toString() {
        return kind + (error != null ? "(" + error.directiveName() + ")" : "") + (count > 0 ? "[" + count + "]" : "");
    }
}
