package ccag.cli;

import ccag.api.CreateIdpRequest;
import ccag.api.IdpView;
import ccag.api.Role;
import ccag.api.UpdateIdpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ccagctl idps}: the identity providers of single sign-on ({@code /admin/idps}). */
@Command(name = "idps", description = "Create, list, show, update and delete identity providers (single sign-on).",
        subcommands = {IdpsCommand.Create.class, IdpsCommand.ListIdps.class, IdpsCommand.Show.class,
            IdpsCommand.Update.class, IdpsCommand.Delete.class})
final class IdpsCommand extends CommandGroup {

    /** The client secret comes from a file or stdin's first line, never from the command line (shell history, ps). */
    static String secret(CliCommand cmd, Path file) {
        if (file == null) {
            return null;
        }
        try {
            String s = file.toString().equals("-")
                    ? new String(cmd.env().stdin().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    : Files.readString(file);
            return s.lines().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw CliException.local("cannot read the client secret from " + file + ": " + e.getMessage());
        }
    }

    static final class Fields {
        @Option(names = "--client-id", paramLabel = "ID", description = "OAuth client id for browser logins (default: the audience).")
        String clientId;

        @Option(names = "--client-secret-file", paramLabel = "FILE", description = "Read the client secret from FILE ('-': stdin).")
        Path clientSecretFile;

        @Option(names = "--auto-provision", negatable = true, paramLabel = "BOOL",
                description = "Create users on their first sign-in (default for create: yes).")
        Boolean autoProvision;

        @Option(names = "--default-role", paramLabel = "ROLE", description = "Role of auto-provisioned users: member or admin.")
        Role defaultRole;

        @Option(names = "--allowed-domain", paramLabel = "DOMAIN",
                description = "Only e-mail addresses of this domain may sign in (repeatable).")
        List<String> allowedDomains;

        @Option(names = "--enabled", negatable = true, description = "Trust this IdP's tokens (default for create: yes).")
        Boolean enabled;
    }

    @Command(name = "create", description = "Add an identity provider; prints its id.")
    static final class Create extends CliCommand {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Display name, e.g. \"Corporate SSO\".")
        String name;

        @Option(names = "--issuer-url", required = true, paramLabel = "URL", description = "The IdP's issuer, exactly its tokens' iss.")
        String issuer;

        @Option(names = "--audience", required = true, paramLabel = "AUD", description = "Expected aud claim (usually the client id).")
        String audience;

        @picocli.CommandLine.ArgGroup(exclusive = false)
        Fields f = new Fields();

        @Override
        void run() {
            JsonNode answer = admin().post(ApiClient.path("admin", "idps"), new CreateIdpRequest(name, issuer, audience, f.clientId,
                    secret(this, f.clientSecretFile), f.autoProvision, f.defaultRole, f.allowedDomains, f.enabled));
            IdpView v = Json.MAPPER.convertValue(answer, IdpView.class);
            if (output().json()) {
                output().printJson(answer);
            } else {
                output().result(Output.text(v.id()));
            }
            output().info("Created identity provider " + v.name() + " (id " + v.id() + "). Register the redirect URIs "
                    + target().server() + "/auth/cli/callback and " + target().server() + "/auth/sso/callback at the IdP.");
        }
    }

    @Command(name = "list", description = "List identity providers (the environment's first).")
    static final class ListIdps extends CliCommand {
        @Override
        void run() {
            JsonNode answer = admin().get(ApiClient.path("admin", "idps"));
            if (output().json()) {
                output().printJson(answer);
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode n : answer.path("idps")) {
                IdpView v = Json.MAPPER.convertValue(n, IdpView.class);
                rows.add(Arrays.asList(Output.text(v.id()), v.name(), v.issuerUrl(), v.source(),
                        Boolean.TRUE.equals(v.enabled()) ? "yes" : "no",
                        Boolean.TRUE.equals(v.autoProvision()) ? v.defaultRole().wireName() : "no"));
            }
            Lists.table(output(), List.of("ID", "NAME", "ISSUER", "SOURCE", "ENABLED", "AUTO-PROVISION"), rows, "identity providers");
        }
    }

    @Command(name = "show", description = "Show one identity provider.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "IDP_ID", description = "The identity provider's id.")
        String id;

        @Override
        void run() {
            JsonNode answer = admin().get(ApiClient.path("admin", "idps", Args.uuid(id, "identity provider").toString()));
            if (output().json()) {
                output().printJson(answer);
                return;
            }
            IdpView v = Json.MAPPER.convertValue(answer, IdpView.class);
            output().fields(List.of(
                    Arrays.asList("ID", Output.text(v.id())),
                    Arrays.asList("Name", v.name()),
                    Arrays.asList("Issuer", v.issuerUrl()),
                    Arrays.asList("Audience", v.audience()),
                    Arrays.asList("Client id", v.clientId()),
                    Arrays.asList("Auto-provision", Output.text(v.autoProvision())),
                    Arrays.asList("Default role", v.defaultRole() == null ? "" : v.defaultRole().wireName()),
                    Arrays.asList("Allowed domains", v.allowedDomains() == null ? "" : String.join(", ", v.allowedDomains())),
                    Arrays.asList("Enabled", Output.text(v.enabled())),
                    Arrays.asList("Source", v.source()),
                    Arrays.asList("Created", Output.time(v.createdAt()))));
        }
    }

    @Command(name = "update", description = "Change the given fields of an identity provider.")
    static final class Update extends CliCommand {
        @Parameters(paramLabel = "IDP_ID", description = "The identity provider's id.")
        String id;

        @Option(names = "--name", paramLabel = "NAME")
        String name;

        @Option(names = "--issuer-url", paramLabel = "URL")
        String issuer;

        @Option(names = "--audience", paramLabel = "AUD")
        String audience;

        @picocli.CommandLine.ArgGroup(exclusive = false)
        Fields f = new Fields();

        @Override
        void run() {
            JsonNode answer = admin().patch(ApiClient.path("admin", "idps", Args.uuid(id, "identity provider").toString()),
                    new UpdateIdpRequest(name, issuer, audience, f.clientId, secret(this, f.clientSecretFile), f.autoProvision,
                            f.defaultRole, f.allowedDomains, f.enabled));
            if (output().json()) {
                output().printJson(answer);
            } else {
                output().result(answer.path("id").asText());
            }
        }
    }

    @Command(name = "delete", description = "Delete an identity provider and its users (their keys and sessions stop working).")
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "IDP_ID", description = "The identity provider's id.")
        String id;

        @Override
        void run() {
            admin().delete(ApiClient.path("admin", "idps", Args.uuid(id, "identity provider").toString()));
            output().info("Deleted identity provider " + id + ".");
        }
    }
}
