package ccag.server.auth;

import ccag.api.CreateKeyRequest;
import ccag.api.Role;
import ccag.server.audit.AuditLog;
import ccag.server.auth.key.VirtualKeys;
import ccag.server.auth.principal.Caller;
import ccag.server.auth.session.Sessions;
import ccag.server.persistence.JdbiSetup;
import ccag.server.persistence.Migrations;
import ccag.server.persistence.UserDao;
import ccag.server.testing.TestDatabase;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The authentication step on a cache hit: a presented virtual key (or session token) through the
 * real credential chain — shape check, SHA-256, cache lookup, expiry/revocation/user checks — on
 * services built over a real PostgreSQL (the credentials are created there, then cached).
 * Target: at most 50 µs per request. Run: {@code scripts/bench-auth.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AuthenticationBenchmark {
    private CredentialChain chain;
    private Presented key;
    private Presented session;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        TestDatabase.Db db = TestDatabase.fresh();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.url());
        ds.setUser(db.user());
        ds.setPassword(db.password());
        new Migrations(ds).migrate();
        Jdbi jdbi = JdbiSetup.configure(Jdbi.create(ds).installPlugin(new SqlObjectPlugin()));
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        CredentialCache cache = new CredentialCache(new MetricRegistry(), 100_000, Duration.ofSeconds(30));
        UsageMarks usage = new UsageMarks(jdbi, clock, Duration.ofSeconds(30));
        AuditLog audit = new AuditLog(jdbi, clock, new ObjectMapper().findAndRegisterModules());
        VirtualKeys keys = new VirtualKeys(jdbi, cache, usage, audit, clock, random);
        Sessions sessions = new Sessions(jdbi, cache, usage, clock, random, Duration.ofHours(24));
        chain = new CredentialChain(keys, List.of(), sessions);

        UUID userId = UUID.randomUUID();
        jdbi.useExtension(UserDao.class, d -> d.insert(userId, UserDao.PRIMARY_IDP, "bench", "bench@example.com", "member", null, true,
                null, Instant.now()));
        Caller admin = new Caller(null, "bench-admin", null, Role.ADMIN, null, null, Caller.AuthMethod.SESSION, 0);
        String secret = keys.create(admin, AuditLog.Actor.system("benchmark"),
                new CreateKeyRequest("bench-key", 0, userId, null, null)).key();
        key = new Presented(secret, Surface.V1);
        session = new Presented(sessions.issue(userId, "127.0.0.1").token(), Surface.V1);
        if (chain.authenticate(key).isEmpty() || chain.authenticate(session).isEmpty()) {
            throw new IllegalStateException("benchmark credentials do not authenticate");
        }
    }

    @Benchmark
    @Threads(1)
    public Caller virtualKeyCacheHit() {
        return chain.authenticate(key).orElseThrow();
    }

    @Benchmark
    @Threads(4)
    public Caller virtualKeyCacheHitFourThreads() {
        return chain.authenticate(key).orElseThrow();
    }

    @Benchmark
    @Threads(1)
    public Caller sessionTokenCacheHit() {
        return chain.authenticate(session).orElseThrow();
    }
}
