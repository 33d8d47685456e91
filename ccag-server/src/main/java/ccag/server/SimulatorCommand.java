package ccag.server;

import ccag.server.simulator.BedrockSimulator;
import ccag.server.simulator.SimulatorOptions;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.time.Duration;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code simulator [--port N] [--host H] [--ttfb-ms N] [--token-delay-ms N]}: the built-in Bedrock
 * simulator alone (HTTP/1.1 and h2c on one port), for load tests and other tools. Runs until stopped.
 */
final class SimulatorCommand extends Command {
    static final int DEFAULT_PORT = 8090;

    SimulatorCommand() {
        super("simulator", "Runs the built-in Amazon Bedrock Runtime simulator alone (HTTP/1.1 and h2c on one port)");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("--port").type(Integer.class).setDefault(DEFAULT_PORT).help("port to listen on (0: any free port)");
        subparser.addArgument("--host").setDefault("127.0.0.1").help("address to bind (default loopback)");
        subparser.addArgument("--ttfb-ms").dest("ttfb").type(Integer.class).setDefault(0).help("time to first byte of every answer");
        subparser.addArgument("--token-delay-ms").dest("tokenDelay").type(Integer.class).setDefault(0).help("delay before each streamed token");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        SimulatorOptions options = SimulatorOptions.defaults()
                .withHost(namespace.getString("host"))
                .withPort(namespace.getInt("port"))
                .withTtfb(Duration.ofMillis(namespace.getInt("ttfb")))
                .withTokenDelay(Duration.ofMillis(namespace.getInt("tokenDelay")));
        BedrockSimulator simulator = BedrockSimulator.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                simulator.close();
            } catch (Exception e) {
                // exiting anyway
            }
        }, "simulator-shutdown"));
        System.out.println("Bedrock simulator listening on " + simulator.endpoint()
                + " (HTTP/1.1 and h2c); set AWS_ENDPOINT_URL_BEDROCK_RUNTIME=" + simulator.endpoint());
        System.out.flush();
        simulator.join();
    }
}
