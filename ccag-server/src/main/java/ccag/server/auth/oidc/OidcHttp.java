package ccag.server.auth.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** The gateway's HTTP calls to identity providers: discovery, keys, and the token endpoint. */
public final class OidcHttp {
    /** Discovery documents and key sets are a few KB; a bigger answer is not an IdP's. */
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpClient client;
    private final ObjectMapper json;
    private final Duration timeout;

    /** {@code client} must not follow redirects: an IdP's metadata comes from the URL the admin configured. */
    public OidcHttp(HttpClient client, ObjectMapper json, Duration timeout) {
        this.client = client;
        this.json = json;
        this.timeout = timeout;
    }

    /** The default client: no redirects, short connect timeout. */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** GETs a JSON document; any failure (network, status, size, syntax) is an {@link IOException}. */
    public JsonNode getJson(URI uri) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("accept", "application/json").GET().build();
        return send(req, uri);
    }

    /** POSTs a form (the token endpoint) and returns the JSON answer, with the status for error handling. */
    public Response postForm(URI uri, Map<String, String> form, String basicAuth) throws IOException {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("accept", "application/json")
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (basicAuth != null) {
            b.header("authorization", "Basic " + basicAuth);
        }
        HttpResponse<InputStream> r = exchange(b.build());
        return new Response(r.statusCode(), readJson(r, uri));
    }

    /** A status and its JSON body (an empty object when the body is not JSON). */
    public record Response(int status, JsonNode body) {
    }

    private JsonNode send(HttpRequest req, URI uri) throws IOException {
        HttpResponse<InputStream> r = exchange(req);
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IOException("GET " + uri + " answered " + r.statusCode());
        }
        JsonNode node = readJson(r, uri);
        if (!node.isObject()) {
            throw new IOException("GET " + uri + " did not answer a JSON object");
        }
        return node;
    }

    private HttpResponse<InputStream> exchange(HttpRequest req) throws IOException {
        try {
            return client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private JsonNode readJson(HttpResponse<InputStream> r, URI uri) throws IOException {
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new IOException(uri + " answered more than " + MAX_BODY_BYTES + " bytes");
            }
            try {
                return json.readTree(bytes);
            } catch (IOException e) {
                if (r.statusCode() == 200) {
                    throw new IOException(uri + " did not answer JSON");
                }
                return json.createObjectNode();
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
