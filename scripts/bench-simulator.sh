#!/usr/bin/env bash
# Load benchmark of the Bedrock simulator with the real AWS SDK client (see docs/benchmarks.md).
# Usage: scripts/bench-simulator.sh [--concurrency N] [--seconds N] [--tokens N] [--protocol h2|h1] [--endpoint URL]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl ccag-api-model,ccag-server test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
CP="ccag-server/target/test-classes:ccag-server/target/classes:ccag-api-model/target/classes:$(cat ccag-server/target/bench-classpath.txt)"
exec java -Xmx1g -cp "$CP" ccag.server.simulator.SimulatorLoadDriver "$@"
