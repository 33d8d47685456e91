package ccag.server.errors;

import ccag.api.ErrorResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (431 for huge headers, 413, 400 for bad framing, errors before the
 * application runs) in the gateway's JSON error shape instead of Jetty's HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private final ObjectMapper json;

    public JsonErrorHandler(ObjectMapper json) {
        this.json = json;
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        Object id = request.getAttribute(RequestIds.ATTRIBUTE);
        byte[] body = body(code, message, id == null ? "req_unknown" : id.toString());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        byte[] body = body(status, reason, "req_unknown");
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
        return ByteBuffer.wrap(body);
    }

    private byte[] body(int code, String message, String requestId) {
        ErrorKind kind = code == 431 ? ErrorKind.REQUEST_TOO_LARGE : ErrorKind.forStatus(code);
        String text = switch (code) {
            case 431 -> "Request header fields too large";
            case 413 -> "Request too large";
            case 414 -> "Request URI too long";
            default -> message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        };
        try {
            return json.writeValueAsBytes(ErrorResponse.of(kind.type(), text, null, requestId));
        } catch (JsonProcessingException e) {
            return ("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"HTTP " + code + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
