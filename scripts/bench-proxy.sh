#!/usr/bin/env bash
# Load benchmark of the proxy: gateway vs the simulator called directly (docs/benchmarks.md, "Proxy").
# Starts PostgreSQL (fsync on), the standalone simulator and the packaged gateway as separate processes.
# Usage: scripts/bench-proxy.sh [--seconds N] [--warmup N] [--concurrency 1,16] [--open-streams N]
#                               [--gateway-heap 256m] [--protocol h2|h1] [--jfr] [--database-url URL]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl ccag-api-model,ccag-server -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
CP="ccag-server/target/test-classes:ccag-server/target/classes:ccag-api-model/target/classes:$(cat ccag-server/target/bench-classpath.txt)"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx1g -cp "$CP" ccag.server.bench.ProxyLoadDriver "$@"
