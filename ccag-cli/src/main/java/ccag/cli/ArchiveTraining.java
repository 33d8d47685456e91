package ccag.cli;

import ccag.api.CreatedKey;
import ccag.api.KeyList;
import ccag.api.LoginRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Loads the classes a typical command needs (picocli model, Jackson with the API records, an OkHttp call),
 * so that the class-data-sharing archive the launcher creates at the first run serves every later command,
 * not only whatever that first run happened to be ({@code --version} loads neither Jackson nor OkHttp).
 * Run only when the launcher sets {@code -Dccagctl.cds.training=true}, i.e. when it is creating the archive.
 */
final class ArchiveTraining {
    private ArchiveTraining() {
    }

    static void loadCommonClasses() {
        try {
            Ccagctl.commandLine(CliEnvironment.system());
            KeyList keys = Json.MAPPER.readValue("{\"keys\":[{\"id\":\"0f8a3c52-9d2e-4c71-a0c4-5f1e2d3b4a69\",\"name\":\"k\","
                    + "\"created_at\":\"2026-03-16T00:00:00Z\"}],\"next_offset\":1}", KeyList.class);
            Json.PRETTY.writeValueAsString(Json.MAPPER.valueToTree(keys));
            Json.MAPPER.treeToValue(Json.MAPPER.readTree("{\"key\":\"k\"}"), CreatedKey.class);
            byte[] body = Json.MAPPER.writeValueAsBytes(new LoginRequest("u", "p"));
            int port;
            // A loopback port that was just free: the call is refused at once, after the whole client stack has loaded.
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            OkHttpClient http = CliEnvironment.defaultHttpClient();
            Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/auth/login")
                    .post(RequestBody.create(body, okhttp3.MediaType.get("application/json"))).build();
            try (Response r = http.newCall(request).execute()) {
                r.body().string();
            } catch (IOException expected) {
                // refused: the point was to load the classes
            }
        } catch (IOException | RuntimeException e) {
            // Training is best effort: a smaller archive, never a failed command.
        }
    }
}
