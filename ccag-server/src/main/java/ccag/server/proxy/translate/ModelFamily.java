package ccag.server.proxy.translate;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Claude family a model id belongs to ({@code opus 4.5}, {@code sonnet 5.5}, ...), parsed from an
 * Anthropic name or a Bedrock id, and what that family accepts on Bedrock InvokeModel. The rules are
 * the capability tables of the translation spec (§1.4.2, §1.5, §1.6); a family that cannot be parsed
 * (an application inference profile ARN, a custom name) is {@link #UNKNOWN} and is treated
 * optimistically: the client's fields pass, and learning from rejection (§1.4.4) takes over.
 *
 * @param tier  {@code opus}, {@code sonnet}, {@code haiku}, {@code fable}, or empty when unknown
 * @param major major version (4 for Opus 4.5), 0 when unknown
 * @param minor minor version (5 for Opus 4.5; 0 for "Sonnet 4")
 */
public record ModelFamily(String tier, int major, int minor) {
    public static final ModelFamily UNKNOWN = new ModelFamily("", 0, 0);

    /** How a family takes {@code thinking}. */
    public enum Thinking {
        /** Opus 4.7+, every 5.x: {@code adaptive} only; {@code enabled}+{@code budget_tokens} is a 400. */
        ADAPTIVE_ONLY,
        /** Opus 4.6, Sonnet 4.6: both forms. */
        ADAPTIVE_AND_BUDGET,
        /** 4.5 and older: {@code enabled}+{@code budget_tokens} only. */
        BUDGET_ONLY,
        /** Unknown family: pass through. */
        UNKNOWN
    }

    /** How a family takes {@code output_config.effort}. */
    public enum Effort { GA, BETA, NONE, UNKNOWN }

    private static final Pattern SUFFIX_VERSION = Pattern.compile("-v\\d+(?::\\d+)?$");
    private static final Pattern SUFFIX_DATE = Pattern.compile("-\\d{8}$");
    private static final Pattern NEW_STYLE = Pattern.compile("^claude-(opus|sonnet|haiku|fable)-(\\d+)(?:-(\\d{1,2}))?$");
    private static final Pattern OLD_STYLE = Pattern.compile("^claude-(\\d+)(?:-(\\d{1,2}))?-(opus|sonnet|haiku)$");

    /**
     * The base name of a model id: geo prefix, {@code anthropic.}, date and {@code -vN:M} removed,
     * e.g. {@code us.anthropic.claude-sonnet-4-5-20250929-v1:0} → {@code claude-sonnet-4-5}.
     * Returns the lower-cased input when it holds no {@code claude-} name.
     */
    public static String baseName(String id) {
        String s = id.toLowerCase(Locale.ROOT);
        int at = s.lastIndexOf("claude-");
        if (at < 0) {
            return s;
        }
        s = s.substring(at);
        int bracket = s.indexOf('[');
        if (bracket >= 0) {
            s = s.substring(0, bracket);
        }
        s = SUFFIX_VERSION.matcher(s).replaceFirst("");
        return SUFFIX_DATE.matcher(s).replaceFirst("");
    }

    /** Parses a family from an Anthropic name or Bedrock id; {@link #UNKNOWN} when it names none. */
    public static ModelFamily of(String id) {
        if (id == null) {
            return UNKNOWN;
        }
        String base = baseName(id);
        Matcher m = NEW_STYLE.matcher(base);
        if (m.matches()) {
            return new ModelFamily(m.group(1), Integer.parseInt(m.group(2)), m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
        }
        m = OLD_STYLE.matcher(base);
        if (m.matches()) {
            return new ModelFamily(m.group(3), Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
        }
        return UNKNOWN;
    }

    public boolean known() {
        return major > 0;
    }

    /** True when this family is {@code major.minor} or newer. */
    public boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    private boolean is(String t) {
        return tier.equals(t);
    }

    public Thinking thinking() {
        if (!known()) {
            return Thinking.UNKNOWN;
        }
        if (atLeast(5, 0) || (is("opus") && atLeast(4, 7))) {
            return Thinking.ADAPTIVE_ONLY;
        }
        if (atLeast(4, 6)) {
            return Thinking.ADAPTIVE_AND_BUDGET;
        }
        return Thinking.BUDGET_ONLY;
    }

    /**
     * Families that answer 400 to {@code temperature}/{@code top_p}/{@code top_k}: reported for
     * Sonnet 5 and shared by the adaptive-only families (spec §1.2, §1.6).
     */
    public boolean rejectsSamplingParameters() {
        return thinking() == Thinking.ADAPTIVE_ONLY;
    }

    public Effort effort() {
        if (!known()) {
            return Effort.UNKNOWN;
        }
        if (is("opus") && major == 4 && minor == 5) {
            return Effort.BETA;
        }
        return atLeast(4, 6) ? Effort.GA : Effort.NONE;
    }

    /** {@code cache_control.ttl} ("5m"/"1h") is accepted on Claude 4.5+ only. */
    public boolean supportsCacheTtl() {
        return !known() || atLeast(4, 5);
    }

    /**
     * Whether the family has a named capability used by the beta table's {@code requires} column.
     * Unknown families have every capability (optimistic; rejections are learned).
     */
    public boolean has(String capability) {
        if (!known()) {
            return true;
        }
        return switch (capability) {
            case "claude4" -> atLeast(4, 0);
            case "sonnet37" -> is("sonnet") && major == 3 && minor == 7;
            case "tokenEfficientTools" -> atLeast(4, 0) || (is("sonnet") && major == 3 && minor == 7);
            case "context1m" -> (is("sonnet") && atLeast(4, 0)) || (is("opus") && atLeast(4, 6)) || is("fable");
            case "contextManagement" -> atLeast(4, 5);
            case "compact" -> (is("opus") && atLeast(4, 6)) || atLeast(5, 0);
            case "effortBeta" -> effort() == Effort.BETA;
            case "toolSearch" -> !is("haiku") && atLeast(4, 5);
            default -> false;
        };
    }

    @Override
    public String toString() {
        return known() ? tier + " " + major + "." + minor : "unknown";
    }
}
