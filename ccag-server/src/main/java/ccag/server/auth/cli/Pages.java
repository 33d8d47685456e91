package ccag.server.auth.cli;

/** The few HTML pages of the browser logins: plain, self-contained, every value escaped. */
public final class Pages {
    private Pages() {
    }

    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A page; {@code bodyHtml} must already be escaped. */
    public static String page(String title, String bodyHtml) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
                <meta name="referrer" content="no-referrer">
                <title>%s — CCAG</title>
                <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}
                .code{font:600 2rem ui-monospace,monospace;letter-spacing:.15em;padding:.5rem 1rem;border:1px solid #bbb;display:inline-block}
                .err{color:#a00}</style></head>
                <body><h1>%s</h1>
                %s
                </body></html>
                """.formatted(escape(title), escape(title), bodyHtml);
    }

    public static String error(String title, String message) {
        return page(title, "<p class=\"err\">" + escape(message) + "</p><p>You can close this window and try again from your terminal.</p>");
    }
}
