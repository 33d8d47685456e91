package ccag.server.spend;

/** Prices a request: micro-dollars (1e-6 USD) for a Bedrock model id and its usage. */
@FunctionalInterface
public interface CostFunction {
    long microUsd(String bedrockModelId, TokenUsage usage);
}
