#!/usr/bin/env bash
# The verifier endpoint against a Node endpoint built on jose that performs the same checks, on the same distinct
# presentations, one after the other, with the load generator on the same machine. Build first:
#   mvn -q -B -DskipTests install && mvn -q -B -Pbenchmarks -pl benchmarks -am -DskipTests package
#   (cd benchmarks/node && npm ci)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-120000}
CONNECTIONS=${CONNECTIONS:-16}
SECONDS_=${SECONDS_:-20}
DIR=$(mktemp -d)
JAR=benchmarks/target/benchmarks.jar
java -cp $JAR dev.vouch.benchmarks.load.VerifierLoad prepare "$DIR" "$N" > /dev/null
java -Xmx160m -Xms160m -cp $JAR dev.vouch.benchmarks.load.VerifierLoad serve 18080 "$DIR" > "$DIR/java.log" 2>&1 &
JAVA=$!
node benchmarks/node/verifier-peer.mjs 18081 "$DIR" > "$DIR/node.log" 2>&1 &
NODE=$!
trap 'kill $JAVA $NODE 2>/dev/null; rm -rf "$DIR"' EXIT
sleep 3
java -cp $JAR dev.vouch.benchmarks.load.VerifierLoad load http://127.0.0.1:18080 "$DIR" "$CONNECTIONS" "$SECONDS_"
echo "vouch verifier RSS: $(ps -o rss= -p $JAVA | awk '{printf "%.0f MB", $1/1024}')"
java -cp $JAR dev.vouch.benchmarks.load.VerifierLoad load http://127.0.0.1:18081 "$DIR" "$CONNECTIONS" "$SECONDS_"
echo "node peer RSS: $(ps -o rss= -p $NODE | awk '{printf "%.0f MB", $1/1024}')"
