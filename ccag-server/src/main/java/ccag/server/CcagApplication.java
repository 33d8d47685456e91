package ccag.server;

import ccag.server.admin.IdpsResource;
import ccag.server.auth.cli.CliLoginResource;
import ccag.server.auth.cli.CliLogins;
import ccag.server.auth.cli.SetupResource;
import ccag.server.auth.oidc.AuthorizationCodeFlow;
import ccag.server.auth.oidc.Codes;
import ccag.server.auth.oidc.IdpRegistry;
import ccag.server.auth.oidc.Idps;
import ccag.server.auth.oidc.KeyRefresher;
import ccag.server.auth.oidc.OidcAccounts;
import ccag.server.auth.oidc.OidcAuthenticator;
import ccag.server.auth.oidc.OidcHttp;
import ccag.server.auth.oidc.PortalLogins;
import ccag.server.auth.oidc.PublicBase;
import ccag.server.auth.oidc.SsoResource;
import ccag.server.config.OidcConfig;
import ccag.server.persistence.IdpDao;
import ccag.server.admin.AuditResource;
import ccag.server.admin.KeysResource;
import ccag.server.admin.TeamsResource;
import ccag.server.admin.UsersResource;
import ccag.server.audit.AuditLog;
import ccag.server.auth.AuthResource;
import ccag.server.auth.CredentialAuthenticator;
import ccag.server.auth.CredentialCache;
import ccag.server.auth.CredentialChain;
import ccag.server.auth.CredentialFilter;
import ccag.server.auth.UsageMarks;
import ccag.server.auth.identity.Teams;
import ccag.server.auth.identity.Users;
import ccag.server.auth.key.VirtualKeys;
import ccag.server.auth.principal.Caller;
import ccag.server.auth.session.BootstrapAdmin;
import ccag.server.auth.session.LoginGuard;
import ccag.server.auth.session.PasswordLogin;
import ccag.server.auth.session.Passwords;
import ccag.server.auth.session.Sessions;
import ccag.server.config.AuthConfig;
import ccag.server.config.CcagConfiguration;
import ccag.server.config.DatabaseConfig;
import ccag.server.config.RunMode;
import ccag.server.config.StartupException;
import ccag.server.config.UpstreamConfig;
import ccag.server.devmode.EmbeddedDatabase;
import ccag.server.admin.ModelsResource;
import ccag.server.catalog.ModelDirectory;
import ccag.server.errors.ApiExceptionMapper;
import ccag.server.proxy.MessagesResource;
import ccag.server.proxy.ProbeResource;
import ccag.server.proxy.ProxyService;
import ccag.server.proxy.translate.BedrockErrorMapping;
import ccag.server.proxy.translate.BetaPolicy;
import ccag.server.proxy.translate.LearnedRejections;
import ccag.server.proxy.translate.ModelCatalog;
import ccag.server.proxy.translate.RequestTranslator;
import ccag.server.spend.PriceTable;
import ccag.server.spend.SpendLedger;
import ccag.server.upstream.BedrockUpstream;
import ccag.server.errors.FallbackExceptionMapper;
import ccag.server.errors.JsonErrorHandler;
import ccag.server.errors.ViolationExceptionMapper;
import ccag.server.errors.RequestIds;
import ccag.server.health.MigrationsHealthCheck;
import ccag.server.health.UpstreamHealthCheck;
import ccag.server.persistence.Migrations;
import ccag.server.simulator.BedrockSimulator;
import ccag.server.simulator.SimulatorOptions;
import ccag.server.limits.RateLimiter;
import ccag.server.persistence.GuardedDataSource;
import ccag.server.persistence.JdbiSetup;
import ccag.server.persistence.Notifications;
import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
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
import java.util.List;
import java.util.Map;
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
        // Logback's own status chatter (e.g. a logback-access version notice) is not for operators.
        if (System.getProperty("logback.statusListenerClass") == null) {
            System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
        }
        // Liquibase prints an update summary to stdout by default; it belongs in the log.
        System.setProperty("liquibase.command.showSummaryOutput",
                System.getProperty("liquibase.command.showSummaryOutput", "LOG"));
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
        PriceTable prices = prices(config.proxy()); // a bad prices file stops the start before anything runs

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
        // Pool exhaustion and an unreachable database answer 529 / 503 with retry-after instead of a 500.
        Jdbi jdbi = JdbiSetup.configure(new JdbiFactory().build(environment, dsf, new GuardedDataSource(dataSource), "postgresql"));
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

        // --- identity and authentication (tiers 1 and 2; tier 3 plugs into the chain) ----------
        AuthConfig authConfig = config.auth();
        DatabaseConfig.Coordinates coordinates = dbConfig.coordinates();
        Notifications notifications = new Notifications(() -> openConnection(coordinates), jdbi, authConfig.changePollInterval());
        AuditLog audit = new AuditLog(jdbi, clock, environment.getObjectMapper());
        CredentialCache credentialCache = new CredentialCache(environment.metrics(), 100_000, java.time.Duration.ofSeconds(30));
        notifications.subscribe(CredentialCache.CHANNEL, credentialCache);
        UsageMarks usageMarks = new UsageMarks(jdbi, clock, java.time.Duration.ofSeconds(30));
        VirtualKeys virtualKeys = new VirtualKeys(jdbi, credentialCache, usageMarks, audit, clock, random);
        Sessions sessions = new Sessions(jdbi, credentialCache, usageMarks, clock, random, authConfig.sessionTtl());
        Passwords passwords = new Passwords();
        LoginGuard loginGuard = new LoginGuard(jdbi, clock, new LoginGuard.Settings(authConfig.loginMaxFailures(),
                authConfig.loginMaxAddressFailures(), authConfig.loginWindow(), authConfig.loginLockout(),
                authConfig.loginMaxLockout(), authConfig.loginSlowdown(), java.time.Duration.ofSeconds(3)));
        PasswordLogin passwordLogin = new PasswordLogin(jdbi, passwords, loginGuard, sessions, audit);
        Users users = new Users(jdbi, credentialCache, audit, clock);
        Teams teams = new Teams(jdbi, audit, clock);
        RateLimiter rateLimiter = new RateLimiter(jdbi, clock, RateLimiter.Settings.defaults());
        new BootstrapAdmin(jdbi, passwords, audit, clock, random).apply(authConfig.adminUsername(), authConfig.adminPassword(),
                config.runMode() == RunMode.DEV, config.dataDir());
        sessions.purge(); // sessions dead for over a day: housekeeping at each start is enough
        // --- tier 3: OIDC single sign-on ---------------------------------------------------------
        OidcConfig oidcConfig = config.oidc();
        OidcHttp oidcHttp = new OidcHttp(OidcHttp.defaultClient(), environment.getObjectMapper(), java.time.Duration.ofSeconds(10));
        IdpRegistry idpRegistry = new IdpRegistry(oidcHttp, oidcConfig.issuerPolicy(config.runMode()), clock,
                oidcConfig.clockSkew(), oidcConfig.jwksMinRefresh(), oidcConfig.jwksRefresh());
        Idps idps = new Idps(jdbi, idpRegistry, oidcConfig.buildPrimary(config.runMode(), clock.instant()), credentialCache,
                audit, clock);
        idps.start();
        notifications.subscribe(IdpDao.CHANNEL, idps);
        // User lookups of token holders are cached briefly; user changes drop them on every instance.
        OidcAccounts oidcAccounts = new OidcAccounts(jdbi, audit, clock, java.time.Duration.ofSeconds(30));
        notifications.subscribe(CredentialCache.CHANNEL, oidcAccounts);
        // Looks for stale keys four times per refresh period, so none is used much past its age.
        environment.lifecycle().manage(new KeyRefresher(idpRegistry, oidcConfig.jwksRefresh().dividedBy(4)));
        Codes codes = new Codes(random);
        AuthorizationCodeFlow codeFlow = new AuthorizationCodeFlow(idpRegistry, oidcHttp);
        PublicBase publicBase = new PublicBase(config.publicUrl(), config.runMode() == RunMode.DEV);
        // Browser logins expire after 5 minutes, the seed's expires_in.
        CliLogins cliLogins = new CliLogins(jdbi, idpRegistry, codeFlow, oidcAccounts, codes, clock, java.time.Duration.ofMinutes(5));
        PortalLogins portalLogins = new PortalLogins(jdbi, idpRegistry, codeFlow, oidcAccounts, sessions, audit, codes, clock,
                java.time.Duration.ofMinutes(5));
        // Tier 3 sits between virtual keys and session tokens, the seed's order.
        List<CredentialAuthenticator> oidcAuthenticators = List.of(new OidcAuthenticator(idpRegistry, oidcAccounts));
        CredentialChain credentialChain = new CredentialChain(virtualKeys, oidcAuthenticators, sessions);
        environment.lifecycle().manage(notifications);
        environment.lifecycle().manage(usageMarks);
        this.wiring = new Wiring(jdbi, notifications, credentialCache, credentialChain, rateLimiter, sessions);

        // --- proxy: Anthropic Messages API → Bedrock -------------------------------------------
        UpstreamConfig up = config.upstream();
        BedrockUpstream upstream = new BedrockUpstream(new BedrockUpstream.Settings(up.region(), up.endpoint(),
                up.controlEndpoint(), up.http2(), up.maxConnections(), up.connectTimeout(), up.readTimeout(), up.callTimeout(),
                upstreamKind == UpstreamConfig.Kind.SIMULATOR));
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                upstream.close();
            }
        });
        ModelDirectory models = new ModelDirectory(jdbi, notifications, audit, upstream, clock,
                ModelCatalog.builder().region(up.region()).configMappings(config.proxy().modelMappings()).build(),
                config.proxy().modelMappings());
        models.reload();
        notifications.subscribe(ModelDirectory.CHANNEL, models);
        environment.lifecycle().addServerLifecycleListener(server ->
                Thread.ofVirtual().name("model-discovery").start(() -> models.discover(java.time.Duration.ofSeconds(20))));
        SpendLedger ledger = new SpendLedger(jdbi, prices, clock, instanceId(random),
                java.time.Duration.ofHours(2));
        environment.lifecycle().manage(ledger);
        RequestTranslator translator = new RequestTranslator(
                BetaPolicy.builtIn(config.proxy().extraAllowedBetas(), config.proxy().extraDroppedBetas()),
                new LearnedRejections(), RequestTranslator.Options.defaults());
        ProxyService proxy = new ProxyService(translator, BedrockErrorMapping.defaults(), models, upstream,
                rateLimiter::admit, ledger, new ProxyService.Policy(config.proxy().maxAttempts(),
                config.proxy().retryBackoff(), config.proxy().firstEventTimeout(), config.proxy().pingInterval()),
                ProxyService.Stages.in(environment.metrics()));
        this.proxyWiring = new ProxyWiring(ledger, models);

        // --- web surface ------------------------------------------------------------------------
        RequestIds requestIds = new RequestIds(random);
        environment.servlets().addFilter("request-id", requestIds)
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        // Jersey buffers up to 8 KiB of every entity to compute Content-Length, which holds back a
        // stream's events until the buffer fills or the stream ends; SSE must reach the client event by event.
        environment.jersey().property(org.glassfish.jersey.server.ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, 0);
        environment.jersey().register(new ApiExceptionMapper());
        environment.jersey().register(new FallbackExceptionMapper());
        environment.jersey().register(new ViolationExceptionMapper());
        JsonErrorHandler jsonErrors = new JsonErrorHandler(environment.getObjectMapper());
        environment.getApplicationContext().setErrorHandler(jsonErrors);
        environment.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(jsonErrors));
        environment.jersey().register(new AuthDynamicFeature(CredentialFilter.chained(credentialChain)));
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(Caller.class));
        environment.jersey().register(new AuthResource(passwordLogin, sessions, audit));
        environment.jersey().register(new KeysResource(virtualKeys));
        environment.jersey().register(new UsersResource(users));
        environment.jersey().register(new TeamsResource(teams));
        environment.jersey().register(new AuditResource(audit));
        environment.jersey().register(new IdpsResource(idps));
        environment.jersey().register(new CliLoginResource(cliLogins, publicBase));
        environment.jersey().register(new SetupResource(publicBase));
        environment.jersey().register(new SsoResource(portalLogins, idpRegistry, publicBase));
        environment.jersey().register(new ModelsResource(models));
        environment.jersey().register(new MessagesResource(proxy, config.proxy().maxBodyBytes(),
                upstreamKind == UpstreamConfig.Kind.SIMULATOR ? Map.of("x-ccag-upstream", "simulator") : Map.of()));
        environment.jersey().register(new ProbeResource());

        String mode = config.runMode().name().toLowerCase(java.util.Locale.ROOT);
        environment.lifecycle().addServerLifecycleListener(server -> LOG.info("CCAG started in {} mode", mode));
    }

    /** The proxy's ledger and model directory, for tests. */
    public record ProxyWiring(SpendLedger ledger, ModelDirectory models) {
    }

    private volatile ProxyWiring proxyWiring;

    public ProxyWiring proxyWiring() {
        return proxyWiring;
    }

    /** Names this process in the ledger: host and a random suffix, so restarts are told apart. */
    private static String instanceId(SecureRandom random) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown";
        }
        return host + "-" + Long.toHexString(random.nextLong() & 0xffffffL);
    }

    /** The in-process Bedrock simulator, when the upstream resolved to it. */
    public Optional<BedrockSimulator> simulator() {
        return Optional.ofNullable(simulator);
    }

    /**
     * The services built by {@link #run}, for the rooms wired next (the proxy calls
     * {@code credentialChain} through the auth filter and {@code rateLimiter.admit(caller)} itself)
     * and for tests that drive two instances.
     */
    public record Wiring(Jdbi jdbi, Notifications notifications, CredentialCache credentialCache,
                         CredentialChain credentialChain, RateLimiter rateLimiter, Sessions sessions) {
    }

    private volatile Wiring wiring;

    /** What {@link #run} built; null before it ran. */
    public Wiring wiring() {
        return wiring;
    }

    /** The built-in price table, with the operator's prices file on top when one is configured. */
    private static PriceTable prices(ccag.server.config.ProxyConfig proxy) {
        PriceTable builtIn = PriceTable.builtIn();
        if (proxy.pricesFile().isEmpty()) {
            return builtIn;
        }
        java.nio.file.Path file = proxy.pricesFile().get();
        try {
            PriceTable own = PriceTable.read(file);
            LOG.info("prices: {} model(s) from {} on top of the built-in table", own.modelCount(), file);
            return builtIn.withOverrides(own);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new StartupException("CCAG_PRICES_FILE " + file + " does not exist");
        } catch (java.io.IOException | RuntimeException e) {
            throw new StartupException("CCAG_PRICES_FILE " + file + " cannot be used: " + e.getMessage());
        }
    }

    /** A connection outside the pool (LISTEN holds one for good; the startup check must not start the pool). */
    private static Connection openConnection(DatabaseConfig.Coordinates c) throws SQLException {
        return openConnection(c, "ccag-notifications");
    }

    private static Connection openConnection(DatabaseConfig.Coordinates c, String applicationName) throws SQLException {
        java.util.Properties props = new java.util.Properties();
        if (c.user() != null) {
            props.setProperty("user", c.user());
        }
        if (c.password() != null) {
            props.setProperty("password", c.password());
        }
        props.setProperty("connectTimeout", "10");
        props.setProperty("ApplicationName", applicationName);
        // Lets the listener notice a dead server even when nothing is sent.
        props.setProperty("tcpKeepAlive", "true");
        return new org.postgresql.Driver().connect(c.jdbcUrl(), props);
    }

    /** One plain connection first, so an unreachable server is one clear line, not a pool's stack trace. */
    private static void checkReachable(DatabaseConfig db) {
        try (Connection conn = openConnection(db.coordinates(), "ccag-startup")) {
            conn.isValid(5);
        } catch (SQLException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new StartupException("Cannot connect to PostgreSQL at "
                    + DatabaseConfig.redact(db.coordinates().jdbcUrl()) + ": " + reason, e);
        }
    }
}
