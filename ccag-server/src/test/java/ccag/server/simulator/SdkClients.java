package ccag.server.simulator;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/** The real AWS SDK clients, pointed at a simulator, with retries off so errors surface at once. */
final class SdkClients {
    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAFAKEFAKEFAKE", "fake-secret-key"));

    private SdkClients() {
    }

    /** The async client as the SDK builds it by default: Netty, HTTP/2 with prior knowledge over http://. */
    static BedrockRuntimeAsyncClient asyncHttp2(URI endpoint) {
        return BedrockRuntimeAsyncClient.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .endpointOverride(endpoint)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static BedrockRuntimeAsyncClient asyncHttp1(URI endpoint) {
        return BedrockRuntimeAsyncClient.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .endpointOverride(endpoint)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1).maxConcurrency(500)
                        .readTimeout(Duration.ofMinutes(5)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static BedrockRuntimeClient sync(URI endpoint) {
        return BedrockRuntimeClient.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .endpointOverride(endpoint).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static BedrockClient control(URI endpoint) {
        return BedrockClient.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .endpointOverride(endpoint).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
