package ccag.server;

import ccag.server.config.CcagConfiguration;
import ccag.server.config.RunMode;
import ccag.server.config.StartupException;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.util.HashMap;
import java.util.Map;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code dev [config.yml]} and {@code server [config.yml]}: the same server, started with the
 * defaults of its mode. Without a file, the built-in copy of the repository's config.yml is used.
 * A startup problem is reported as one line, without a stack trace.
 */
final class RunCommand extends ServerCommand<CcagConfiguration> {
    static final String BUILTIN_CONFIG = ConfigSources.CLASSPATH_PREFIX + "ccag/config.yml";

    private final RunMode mode;

    RunCommand(Application<CcagConfiguration> application, RunMode mode) {
        super(application, mode == RunMode.DEV ? "dev" : "server", mode == RunMode.DEV
                ? "Runs the gateway on embedded defaults: embedded PostgreSQL, the Bedrock simulator, a generated admin password"
                : "Runs the gateway in production mode: DATABASE_URL and ADMIN_PASSWORD required, real Amazon Bedrock");
        this.mode = mode;
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        Namespace ns = namespace;
        if (ns.getString("file") == null) {
            Map<String, Object> attrs = new HashMap<>(ns.getAttrs());
            attrs.put("file", BUILTIN_CONFIG);
            ns = new Namespace(attrs);
        }
        super.run(bootstrap, ns);
    }

    @Override
    protected void run(Bootstrap<CcagConfiguration> bootstrap, Namespace namespace, CcagConfiguration configuration) throws Exception {
        configuration.runMode(mode);
        super.run(bootstrap, namespace, configuration);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        StartupException startup = findStartupException(e);
        if (startup != null) {
            cli.getStdErr().println("ccag: " + startup.getMessage());
            return;
        }
        super.onError(cli, namespace, e);
    }

    static StartupException findStartupException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StartupException s) {
                return s;
            }
        }
        return null;
    }
}
