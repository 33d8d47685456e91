package ccag.cli;

import okhttp3.HttpUrl;

/**
 * The server a command talks to, and the profile it was resolved through. The server comes from
 * {@code --server}, else {@code $CCAG_SERVER}, else the profile's configured server.
 *
 * @param profile the profile name (from {@code --profile}, else the current profile)
 * @param profileGiven whether {@code --profile} was on the command line (hints then repeat it)
 * @param server the normalised server URL, without a trailing slash
 * @param url the same, parsed
 * @param source where the server URL came from, for messages
 */
record Target(String profile, boolean profileGiven, String server, HttpUrl url, String source) {

    /** Parses and normalises a server URL; a usage error names where the bad value came from. */
    static HttpUrl parseServer(String raw, String source) {
        String s = raw.trim();
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
            throw CliException.usage("the server URL (" + source + ") must start with https:// or http://: " + raw);
        }
        HttpUrl url = HttpUrl.parse(s);
        if (url == null) {
            throw CliException.usage("not a valid server URL (" + source + "): " + raw);
        }
        if (url.query() != null || url.fragment() != null) {
            throw CliException.usage("the server URL (" + source + ") must not have a query or fragment: " + raw);
        }
        return url;
    }

    /** The canonical text form of a server URL: scheme, lower-case host, port only when not the default, path, no trailing slash. */
    static String canonical(HttpUrl url) {
        String s = url.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The command line that logs in to this target again, for hints. */
    String loginCommand(String username) {
        return "ccagctl " + (profileGiven ? "--profile " + profile + " " : "") + "auth login --username "
                + (username == null || username.isBlank() ? "USER" : username);
    }
}
