package ccag.server.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a user's browser does in a sign-in, over real HTTP: follows redirects, fills the IdP's login
 * form (username and extra claims, as mock-oauth2-server's form asks), and submits the forms a page
 * submits by itself. Every page visited is kept, so a test can look at what the user saw.
 */
public final class TestBrowser {
    private static final Pattern FORM = Pattern.compile("<form([^>]*)>(.*?)</form>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTR = Pattern.compile("([a-zA-Z_-]+)=\"([^\"]*)\"");
    private static final Pattern INPUT = Pattern.compile("<(input|textarea)([^>]*)>", Pattern.CASE_INSENSITIVE);

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final String username;
    private final String claimsJson;
    private final List<Page> visited = new ArrayList<>();

    /** A page the browser showed: its URL, status and body. */
    public record Page(URI uri, int status, String body) {
    }

    /** {@code username} and {@code claimsJson} are what the user types into the IdP's login form. */
    public TestBrowser(String username, String claimsJson) {
        this.username = username;
        this.claimsJson = claimsJson;
    }

    public List<Page> visited() {
        return visited;
    }

    /** Opens a URL and goes on until a page stays (no redirect, no form to submit); returns that page. */
    public Page open(String url) {
        URI uri = URI.create(url);
        HttpRequest req = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(30)).build();
        for (int step = 0; step < 20; step++) {
            HttpResponse<String> r = send(req);
            Page page = new Page(req.uri(), r.statusCode(), r.body());
            visited.add(page);
            if (r.statusCode() >= 300 && r.statusCode() < 400) {
                URI next = req.uri().resolve(r.headers().firstValue("location").orElseThrow());
                req = HttpRequest.newBuilder(next).GET().timeout(Duration.ofSeconds(30)).build();
                continue;
            }
            HttpRequest submit = formToSubmit(req.uri(), r.body());
            if (submit == null || r.statusCode() != 200) {
                return page;
            }
            req = submit;
        }
        throw new IllegalStateException("too many redirects from " + url);
    }

    /** The IdP's login form (filled in) or a form the page submits by script; null when the page has none. */
    private HttpRequest formToSubmit(URI base, String html) {
        Matcher f = FORM.matcher(html);
        if (!f.find()) {
            return null;
        }
        Map<String, String> attrs = attrs(f.group(1));
        boolean autoSubmitted = html.contains(".submit()");
        Map<String, String> fields = new LinkedHashMap<>();
        boolean loginForm = false;
        Matcher in = INPUT.matcher(f.group(2));
        while (in.find()) {
            Map<String, String> a = attrs(in.group(2));
            String name = a.get("name");
            if (name == null) {
                continue;
            }
            switch (name) {
                case "username" -> {
                    fields.put(name, username);
                    loginForm = true;
                }
                case "claims" -> fields.put(name, claimsJson == null ? "" : claimsJson);
                default -> fields.put(name, a.getOrDefault("value", ""));
            }
        }
        if (!loginForm && !autoSubmitted) {
            return null;
        }
        URI action = base.resolve(attrs.getOrDefault("action", base.toString()).replace("&amp;", "&"));
        if (attrs.getOrDefault("action", "").isEmpty()) {
            action = base;
        }
        String body = fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(action).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static Map<String, String> attrs(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher a = ATTR.matcher(s);
        while (a.find()) {
            m.put(a.group(1).toLowerCase(java.util.Locale.ROOT), a.group(2).replace("&amp;", "&"));
        }
        return m;
    }

    private HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A loopback port free right now, for an app whose public URL must be known before it starts. */
    public static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
