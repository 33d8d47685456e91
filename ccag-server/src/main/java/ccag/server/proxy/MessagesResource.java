package ccag.server.proxy;

import ccag.server.auth.principal.Caller;
import ccag.server.errors.ApiException;
import ccag.server.errors.ErrorKind;
import ccag.server.errors.InvalidRequest;
import ccag.server.errors.PayloadTooLarge;
import ccag.server.errors.RequestIds;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.auth.Auth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * The Anthropic Messages API surface: {@code POST /v1/messages} (JSON or SSE), {@code POST
 * /v1/messages/count_tokens} and {@code GET /v1/models}. Query strings (Claude Code's
 * {@code ?beta=true}) are ignored; the body is read here, within the size limit, and parsed as a
 * tree so unknown fields are dropped rather than refused.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class MessagesResource {
    /** How much of an over-limit body is still read (and dropped) so the client receives the 413. */
    static final long DISCARD_LIMIT = 64L * 1024 * 1024;
    static final MediaType EVENT_STREAM = new MediaType("text", "event-stream", Map.of("charset", "utf-8"));

    private final ProxyService proxy;
    private final long maxBodyBytes;
    private final Map<String, String> extraHeaders;

    /**
     * @param extraHeaders headers added to every /v1 response (e.g. which upstream answered)
     */
    public MessagesResource(ProxyService proxy, long maxBodyBytes, Map<String, String> extraHeaders) {
        this.proxy = proxy;
        this.maxBodyBytes = maxBodyBytes;
        this.extraHeaders = Map.copyOf(extraHeaders);
    }

    @POST
    @Path("/messages")
    @Consumes(MediaType.WILDCARD)
    // Claude Code asks for application/json even for streams; SDKs ask for text/event-stream.
    @Produces({MediaType.APPLICATION_JSON, "text/event-stream", MediaType.WILDCARD})
    public Response messages(@Auth Caller caller, @Context HttpServletRequest request, @Context HttpHeaders headers,
                             InputStream body) throws IOException {
        long entered = System.nanoTime();
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        long began = jetty == null ? entered : jetty.getBeginNanoTime();
        proxy.stages().dispatch().update(entered - began, TimeUnit.NANOSECONDS);
        byte[] raw = readBody(request, headers, body);
        ProxyService.Answer answer = proxy.messages(caller, RequestIds.of(request), raw, betas(headers));
        Response.ResponseBuilder r;
        if (answer instanceof ProxyService.Stream stream) {
            StreamingOutput out = stream::writeTo;
            r = Response.ok(out, EVENT_STREAM)
                    .header("cache-control", "no-cache")
                    // Tell buffering reverse proxies (nginx) to pass each event through at once.
                    .header("x-accel-buffering", "no");
        } else {
            byte[] json = ((ProxyService.Json) answer).body();
            r = Response.ok(json, MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.CONTENT_LENGTH, json.length);
            proxy.stages().jsonAnswer().update(System.nanoTime() - began, TimeUnit.NANOSECONDS);
        }
        extraHeaders.forEach(r::header);
        return r.build();
    }

    @POST
    @Path("/messages/count_tokens")
    @Consumes(MediaType.WILDCARD)
    public Response countTokens(@Auth Caller caller, @Context HttpServletRequest request, @Context HttpHeaders headers,
                                InputStream body) throws IOException {
        byte[] raw = readBody(request, headers, body);
        byte[] answer = proxy.countTokens(caller, RequestIds.of(request), raw, betas(headers));
        Response.ResponseBuilder r = Response.ok(answer, MediaType.APPLICATION_JSON_TYPE);
        extraHeaders.forEach(r::header);
        return r.build();
    }

    @GET
    @Path("/models")
    public ObjectNode models(@Auth Caller caller) {
        return proxy.models();
    }

    private byte[] readBody(HttpServletRequest request, HttpHeaders headers, InputStream body) throws IOException {
        String type = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type != null && !type.toLowerCase(Locale.ROOT).contains("json")) {
            throw new ApiException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, got " + type);
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge(body, declared);
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
        byte[] chunk = new byte[16384];
        long total = 0;
        int n;
        while ((n = body.read(chunk)) != -1) {
            total += n;
            if (total > maxBodyBytes) {
                throw tooLarge(body, declared);
            }
            buffer.write(chunk, 0, n);
        }
        if (total == 0) {
            throw new InvalidRequest("Request body is empty: send a JSON object");
        }
        return buffer.toByteArray();
    }

    /**
     * The 413 for a body over the limit. The rest of the body is read and dropped first, up to
     * {@link #DISCARD_LIMIT} more: a server that answers and closes while the client is still sending
     * resets the connection, and the client sees a broken connection instead of the 413. Bodies beyond
     * that are cut off (the connection closes).
     */
    private PayloadTooLarge tooLarge(InputStream body, long declared) {
        if (declared <= maxBodyBytes + DISCARD_LIMIT) {
            try {
                byte[] sink = new byte[65536];
                long dropped = 0;
                int n;
                while (dropped <= DISCARD_LIMIT && (n = body.read(sink)) != -1) {
                    dropped += n;
                }
            } catch (IOException gone) {
                // the client stopped sending: it gets the 413 if it still listens
            }
        }
        return new PayloadTooLarge("Request body is larger than the gateway's limit of " + maxBodyBytes + " bytes");
    }

    /** All {@code anthropic-beta} header lines, each possibly a comma list. */
    static List<String> betas(HttpHeaders headers) {
        List<String> values = headers.getRequestHeader("anthropic-beta");
        return values == null ? Collections.emptyList() : new ArrayList<>(values);
    }
}
