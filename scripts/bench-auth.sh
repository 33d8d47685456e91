#!/usr/bin/env bash
# Runs the JMH benchmark of the authentication step (docs/benchmarks.md, "Authentication").
# Extra arguments go to JMH, e.g. scripts/bench-auth.sh -f 1 -wi 1 -i 3
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl ccag-api-model,ccag-server -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
CP="ccag-server/target/test-classes:ccag-server/target/classes:ccag-api-model/target/classes:$(cat ccag-server/target/test-classpath.txt)"
exec java --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main 'ccag.server.auth.AuthenticationBenchmark' "$@"
