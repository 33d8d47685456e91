package ccag.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One server's JSON API over OkHttp. Every answer is either JSON (or nothing, for 204) or a
 * {@link CliException} carrying the server's own message, its request id and the documented exit code.
 */
final class ApiClient {
    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final Target target;
    private final String bearer;
    private final List<String> refusedHints;
    private final String userAgent;

    /**
     * @param bearer the token sent as {@code Authorization: Bearer}, or null for unauthenticated calls
     * @param refusedHints what to tell the user when the server answers 401 (how to get a new credential)
     */
    ApiClient(OkHttpClient http, Target target, String bearer, List<String> refusedHints, String userAgent) {
        this.http = http;
        this.target = target;
        this.bearer = bearer;
        this.refusedHints = List.copyOf(refusedHints);
        this.userAgent = userAgent;
    }

    Target target() {
        return target;
    }

    JsonNode get(List<String> path, Map<String, String> query) {
        return send("GET", path, query, null);
    }

    JsonNode get(List<String> path) {
        return send("GET", path, Map.of(), null);
    }

    JsonNode post(List<String> path, Object body) {
        return send("POST", path, Map.of(), body);
    }

    JsonNode put(List<String> path, Object body) {
        return send("PUT", path, Map.of(), body);
    }

    JsonNode patch(List<String> path, Object body) {
        return send("PATCH", path, Map.of(), body);
    }

    JsonNode delete(List<String> path) {
        return send("DELETE", path, Map.of(), null);
    }

    /** {@code path("admin", "keys", id)}: segments are percent-encoded one by one. */
    static List<String> path(String... segments) {
        return List.of(segments);
    }

    /** Sends one request; returns the JSON answer, or null when the answer has no body. */
    JsonNode send(String method, List<String> path, Map<String, String> query, Object body) {
        HttpUrl.Builder url = target.url().newBuilder();
        for (String segment : path) {
            url.addPathSegment(segment);
        }
        query.forEach((k, v) -> {
            if (v != null) {
                url.addQueryParameter(k, v);
            }
        });
        RequestBody requestBody = null;
        if (body != null) {
            try {
                requestBody = RequestBody.create(Json.MAPPER.writeValueAsBytes(body), JSON);
            } catch (JsonProcessingException e) {
                throw CliException.local("cannot encode the request: " + e.getOriginalMessage());
            }
        } else if (!method.equals("GET") && !method.equals("DELETE")) {
            requestBody = RequestBody.create(new byte[0], null);
        }
        Request.Builder request = new Request.Builder().url(url.build()).method(method, requestBody)
                .header("accept", "application/json")
                .header("user-agent", userAgent);
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            String text = response.body().string();
            int status = response.code();
            if (status >= 200 && status < 300) {
                return text.isBlank() ? null : parseAnswer(text, status);
            }
            if (status >= 300 && status < 400) {
                String location = response.header("location");
                throw new CliException(ExitCodes.SERVER_ERROR, target.server() + " redirected (HTTP " + status + ") to "
                        + (location == null ? "another address" : location),
                        "use the address the gateway is reachable at as the server URL (--server, CCAG_SERVER or ccagctl config set-server)");
            }
            throw failure(status, text, response.header("request-id"), response.header("retry-after"));
        } catch (IOException e) {
            throw unreachable(e, method);
        }
    }

    private JsonNode parseAnswer(String text, int status) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCodes.SERVER_ERROR, "the answer of " + target.server() + " (HTTP " + status + ") is not JSON",
                    "is " + target.server() + " the address of a CCAG gateway?");
        }
    }

    private CliException failure(int status, String text, String requestIdHeader, String retryAfter) {
        String message = null;
        String field = null;
        String requestId = requestIdHeader;
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (node != null && node.path("error").isObject()) {
                message = node.path("error").path("message").asText(null);
                field = node.path("error").path("field").asText(null);
                requestId = node.path("request_id").asText(requestId);
            }
        } catch (JsonProcessingException e) {
            // Not the gateway's error shape (a load balancer, another service): reported by status below.
        }
        boolean ours = message != null;
        if (!ours) {
            message = "HTTP " + status + " from " + target.server() + " without an error message";
        }
        String detail = message + (field != null ? " (field: " + field + ")" : "")
                + (requestId != null ? " [request id: " + requestId + "]" : "");
        List<String> hints = new ArrayList<>();
        int code;
        String kind;
        switch (status) {
            case 400, 405, 413, 415, 422 -> {
                code = ExitCodes.USAGE;
                kind = "invalid request";
            }
            case 401 -> {
                code = ExitCodes.NOT_AUTHENTICATED;
                kind = "not authenticated";
                hints.addAll(refusedHints);
            }
            case 403 -> {
                code = ExitCodes.NOT_AUTHENTICATED;
                kind = "permission denied";
            }
            case 404, 410 -> {
                code = ExitCodes.NOT_FOUND;
                kind = "not found";
                if (!ours) {
                    hints.add("is " + target.server() + " the address of a CCAG gateway (and of a version with this command)?");
                }
            }
            case 409 -> {
                code = ExitCodes.CONFLICT;
                kind = "conflict";
            }
            case 429 -> {
                code = ExitCodes.SERVER_ERROR;
                kind = "rate limited";
                if (retryAfter != null) {
                    hints.add("try again in " + retryAfter + " s");
                }
            }
            default -> {
                code = ExitCodes.SERVER_ERROR;
                kind = "server error (HTTP " + status + ")";
                if (retryAfter != null) {
                    hints.add("try again in " + retryAfter + " s");
                }
            }
        }
        return new CliException(code, kind + ": " + detail, hints);
    }

    private CliException unreachable(IOException e, String method) {
        String server = target.server();
        String reason;
        if (e instanceof UnknownHostException) {
            reason = "unknown host " + target.url().host();
        } else if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            reason = "connection refused (is the gateway running at this address?)";
        } else if (e instanceof SSLException) {
            reason = "TLS failure: " + e.getMessage();
        } else if (e instanceof InterruptedIOException) {
            reason = "no answer in time";
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        List<String> hints = new ArrayList<>();
        if (e instanceof InterruptedIOException && !method.equals("GET")) {
            hints.add("the request may or may not have been applied; check before repeating it");
        }
        hints.add("the server URL comes from " + target.source());
        return new CliException(ExitCodes.UNREACHABLE, "cannot reach " + server + ": " + reason, hints);
    }
}
