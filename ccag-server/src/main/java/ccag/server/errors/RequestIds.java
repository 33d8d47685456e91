package ccag.server.errors;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Locale;
import org.slf4j.MDC;

/**
 * Gives every request an id ({@code req_…}) before anything else runs: it is sent back in the
 * {@code request-id} header of every response (Claude Code records it), put in error bodies, and
 * attached to log lines through the MDC key {@code request_id}.
 */
public final class RequestIds implements Filter {
    public static final String ATTRIBUTE = "ccag.request_id";
    public static final String HEADER = "request-id";
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final SecureRandom random;

    public RequestIds(SecureRandom random) {
        this.random = random;
    }

    /** A new id: {@code req_} and 24 base32 characters (120 bits). */
    public String next() {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        StringBuilder sb = new StringBuilder(28).append("req_");
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return sb.toString();
    }

    /** The id of this request, creating one if the filter has not run (Jetty-level errors). */
    public static String of(HttpServletRequest request) {
        Object id = request == null ? null : request.getAttribute(ATTRIBUTE);
        return id == null ? "req_unknown" : id.toString();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        String id = next();
        req.setAttribute(ATTRIBUTE, id);
        if (res instanceof HttpServletResponse http) {
            http.setHeader(HEADER, id);
        }
        MDC.put("request_id", id);
        try {
            chain.doFilter(req, res);
        } finally {
            MDC.remove("request_id");
        }
    }

    static String snakeCase(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
