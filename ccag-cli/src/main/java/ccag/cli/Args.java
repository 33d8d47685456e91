package ccag.cli;

import ccag.api.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsing of argument values shared by several commands; failures are usage errors (exit 2). */
final class Args {
    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})([mhdw])");

    private Args() {
    }

    /** {@code member} or {@code admin}. */
    static final class RoleConverter implements ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            try {
                return Role.fromWire(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Completion candidates (and help text) for a role. */
    static final class Roles implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("member", "admin").iterator();
        }
    }

    /** {@code text} or {@code json}. */
    static final class FormatConverter implements ITypeConverter<Output.Format> {
        @Override
        public Output.Format convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "text" -> Output.Format.TEXT;
                case "json" -> Output.Format.JSON;
                default -> throw new TypeConversionException("must be text or json, not '" + value + "'");
            };
        }
    }

    static final class Formats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("text", "json").iterator();
        }
    }

    /** A resource id; the admin API's ids are UUIDs. */
    static UUID uuid(String value, String what) {
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("not a " + what + " id (a UUID such as 0f8a3c52-9d2e-4c71-a0c4-5f1e2d3b4a69): " + value);
        }
    }

    static boolean isUuid(String value) {
        try {
            UUID.fromString(value.trim());
            return value.trim().length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String profile(String name) {
        if (!PROFILE.matcher(name).matches()) {
            throw CliException.usage("not a valid profile name: '" + name + "' (letters, digits, '.', '_', '-'; at most 64)");
        }
        return name;
    }

    /**
     * An expiry: an RFC 3339 instant ({@code 2026-12-31T18:00:00Z}), a date (midnight UTC at its start), a span
     * from now ({@code 30m}, {@code 12h}, {@code 90d}, {@code 2w}), or {@code never}. Must lie in the future.
     */
    static Instant expiry(String value, Clock clock) {
        String v = value.trim();
        if (v.equalsIgnoreCase("never") || v.equalsIgnoreCase("none")) {
            return null;
        }
        Instant now = clock.instant();
        Instant at;
        Matcher m = RELATIVE.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            at = now.plus(d);
        } else {
            try {
                at = OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException notInstant) {
                try {
                    at = LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    throw CliException.usage("--expires: not a time, date or span: '" + value
                            + "' (examples: 2026-12-31T18:00:00Z, 2026-12-31, 30m, 12h, 90d, 2w, never)");
                }
            }
        }
        if (!at.isAfter(now)) {
            throw CliException.usage("--expires: " + Output.time(at) + " is not in the future");
        }
        return at;
    }
}
