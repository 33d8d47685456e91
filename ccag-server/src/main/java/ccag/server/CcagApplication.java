package ccag.server;

import ccag.server.config.CcagConfiguration;
import ccag.server.config.DatabaseConfig;
import ccag.server.config.RunMode;
import ccag.server.config.StartupException;
import ccag.server.config.UpstreamConfig;
import ccag.server.devmode.EmbeddedDatabase;
import ccag.server.errors.ApiExceptionMapper;
import ccag.server.errors.FallbackExceptionMapper;
import ccag.server.errors.RequestIds;
import ccag.server.health.MigrationsHealthCheck;
import ccag.server.health.UpstreamHealthCheck;
import ccag.server.persistence.Migrations;
import ccag.server.simulator.BedrockSimulator;
import ccag.server.simulator.SimulatorOptions;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.migrations.MigrationsBundle;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only composition root: builds the database, DAOs, services, authenticators, resources and
 * managed components, in that order, and wires them by hand.
 */
public class CcagApplication extends Application<CcagConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(CcagApplication.class);

    /** The in-process Bedrock simulator when it is the upstream; tests read what reached "Bedrock" through it. */
    private volatile BedrockSimulator simulator;

    public static void main(String[] args) throws Exception {
        new CcagApplication().run(args);
    }

    @Override
    public String getName() {
        return "ccag";
    }

    @Override
    protected void addDefaultCommands(Bootstrap<CcagConfiguration> bootstrap) {
        bootstrap.addCommand(new RunCommand(this, RunMode.SERVER));
        bootstrap.addCommand(new RunCommand(this, RunMode.DEV));
        bootstrap.addCommand(new CheckCommand<>(this));
        bootstrap.addCommand(new SimulatorCommand());
    }

    @Override
    public void initialize(Bootstrap<CcagConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                new ConfigSources(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.getObjectMapper()
                // A typo in an admin request must not be silently ignored (/v1 parses trees and drops unknowns).
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public DataSourceFactory getDataSourceFactory(CcagConfiguration configuration) {
                return configuration.database().dataSourceFactory();
            }
        });
    }

    @Override
    public void run(CcagConfiguration config, Environment environment) throws Exception {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();

        // --- database -------------------------------------------------------------------------
        DatabaseConfig dbConfig = config.database();
        if (!dbConfig.isConfigured() && config.runMode() == RunMode.DEV) {
            EmbeddedDatabase embedded = EmbeddedDatabase.start(config.dataDir());
            environment.lifecycle().manage(embedded);
            dbConfig.useUrl(embedded.jdbcUrl(), embedded.user(), "");
            LOG.info("database: embedded PostgreSQL on 127.0.0.1:{}, data in {}", embedded.port(), embedded.dataDirectory());
        } else {
            LOG.info("database: {}", DatabaseConfig.redact(dbConfig.coordinates().jdbcUrl()));
        }
        DataSourceFactory dsf = dbConfig.dataSourceFactory();
        checkReachable(dbConfig);
        ManagedDataSource dataSource = dsf.build(environment.metrics(), "postgresql");
        Migrations migrations = new Migrations(dataSource);
        if (dbConfig.migrateOnStart()) {
            migrations.migrate();
        }
        Jdbi jdbi = new JdbiFactory().build(environment, dsf, dataSource, "postgresql");
        environment.healthChecks().register("migrations", new MigrationsHealthCheck(migrations));

        // --- upstream ---------------------------------------------------------------------------
        UpstreamConfig.Kind upstreamKind = config.upstream().resolve(config.runMode());
        String upstreamDescription;
        if (upstreamKind == UpstreamConfig.Kind.SIMULATOR) {
            BedrockSimulator sim = BedrockSimulator.start(SimulatorOptions.defaults()
                    .withRegion(config.upstream().region())
                    .withTtfb(config.upstream().simulatorTtfb())
                    .withTokenDelay(config.upstream().simulatorTokenDelay()));
            environment.lifecycle().manage(new Managed() {
                @Override
                public void stop() throws Exception {
                    sim.close();
                }
            });
            config.upstream().useEndpoints(sim.endpoint().toString());
            simulator = sim;
            upstreamDescription = "simulator at " + sim.endpoint();
            LOG.info("upstream: built-in Bedrock simulator at {}", sim.endpoint());
        } else {
            upstreamDescription = "Amazon Bedrock in " + config.upstream().region()
                    + (config.upstream().endpoint().isEmpty() ? "" : " via " + config.upstream().endpoint());
            LOG.info("upstream: {}", upstreamDescription);
        }
        URI runtimeEndpoint = config.upstream().endpoint().isEmpty()
                ? URI.create("https://bedrock-runtime." + config.upstream().region() + ".amazonaws.com")
                : URI.create(config.upstream().endpoint());
        environment.healthChecks().register("upstream",
                new UpstreamHealthCheck(upstreamDescription, runtimeEndpoint, java.time.Duration.ofSeconds(2)));

        // --- web surface ------------------------------------------------------------------------
        RequestIds requestIds = new RequestIds(random);
        environment.servlets().addFilter("request-id", requestIds)
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        environment.jersey().register(new ApiExceptionMapper());
        environment.jersey().register(new FallbackExceptionMapper());

        String mode = config.runMode().name().toLowerCase(java.util.Locale.ROOT);
        environment.lifecycle().addServerLifecycleListener(server -> LOG.info("CCAG started in {} mode", mode));
        unused(clock, jdbi);
    }

    /** The in-process Bedrock simulator, when the upstream resolved to it. */
    public Optional<BedrockSimulator> simulator() {
        return Optional.ofNullable(simulator);
    }

    private static void unused(Object... wiredLater) {
        // placeholders for components the next rooms consume
    }

    /** One plain connection first, so an unreachable server is one clear line, not a pool's stack trace. */
    private static void checkReachable(DatabaseConfig db) {
        DatabaseConfig.Coordinates c = db.coordinates();
        java.util.Properties props = new java.util.Properties();
        if (c.user() != null) {
            props.setProperty("user", c.user());
        }
        if (c.password() != null) {
            props.setProperty("password", c.password());
        }
        props.setProperty("connectTimeout", "10");
        try (Connection conn = new org.postgresql.Driver().connect(c.jdbcUrl(), props)) {
            conn.isValid(5);
        } catch (SQLException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new StartupException("Cannot connect to PostgreSQL at "
                    + DatabaseConfig.redact(db.coordinates().jdbcUrl()) + ": " + reason, e);
        }
    }
}
