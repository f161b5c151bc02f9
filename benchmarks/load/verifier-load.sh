#!/usr/bin/env bash
# The verifier endpoint against a Node endpoint built on jose that performs the same checks, on the same distinct
# presentations (each with its own nonce), one after the other, with the load generator (wrk, in C, so that it takes
# as little of the 2 cores as it can) on the same machine. Build first:
#   mvn -q -B -DskipTests install && mvn -q -B -Pbenchmarks -pl benchmarks -am -DskipTests package
#   (cd benchmarks/node && npm ci)
# Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
N=${N:-200000}
WARMUP=${WARMUP:-60000}
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
SECONDS_=${SECONDS_:-20}
HEAP=${HEAP:-160m}
# JAVA_OPTS=-Dtabard.verifiedTokens=0: the verifier checks every credential token in full, not once per distinct token
DIR=$(mktemp -d)
JAR=benchmarks/target/benchmarks.jar
java -cp $JAR dev.tabard.benchmarks.load.VerifierLoad prepare "$DIR" "$N" > /dev/null
head -n "$WARMUP" "$DIR/bodies.txt" > "$DIR/warmup.txt"
tail -n +"$((WARMUP + 1))" "$DIR/bodies.txt" > "$DIR/measure.txt"
java -Xmx$HEAP -Xms$HEAP -XX:+UseParallelGC ${JAVA_OPTS:-} -cp $JAR dev.tabard.benchmarks.load.VerifierLoad serve 18080 "$DIR" > "$DIR/java.log" 2>&1 &
JAVA=$!
node benchmarks/node/verifier-peer.mjs 18081 "$DIR" > "$DIR/node.log" 2>&1 &
NODE=$!
trap 'kill $JAVA $NODE 2>/dev/null; rm -rf "$DIR"' EXIT
for port in 18080 18081; do # wait until both answer
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done
done
run() { # name url pid
  WRK_THREADS=$THREADS BODIES="$DIR/warmup.txt" wrk -s benchmarks/load/bodies.lua -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" "$2/presentations/verify" > /dev/null
  echo "$1: $(WRK_THREADS=$THREADS BODIES="$DIR/measure.txt" wrk -s benchmarks/load/bodies.lua -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_}s" \
    "$2/presentations/verify" | awk '/Requests\/sec/ {rps=$2} /^requests/ {line=$0} END {print rps " presentations/s; " line}')"
  echo "$1 RSS: $(ps -o rss= -p "$3" | awk '{printf "%.0f MB", $1/1024}')"
}
run "tabard verifier (-Xmx$HEAP)" http://127.0.0.1:18080 $JAVA
run "node + jose peer" http://127.0.0.1:18081 $NODE
