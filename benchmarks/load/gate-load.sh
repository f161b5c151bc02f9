#!/usr/bin/env bash
# Signed agent requests (a bound caller; GETs and small POSTs, each with its own nonce) through Tabard's gate and
# through a Node endpoint built on the http-message-signatures package that performs the same request checks and signs
# its answer (benchmarks/node/gate-peer.mjs), one after the other, with the same requests and connections, and the
# load generator (wrk, in C, so that it takes as little of the cores as it can) on the same machine. Each server sees
# each request once. Build first:
#   mvn -q -B -Pbenchmarks -pl benchmarks -am -DskipTests package
#   (cd benchmarks/node && npm ci)
# Needs wrk (Debian: apt-get install wrk). Requests are valid for 5 minutes from `prepare`: the whole run fits in that.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
N=${N:-400000}
WARMUP=${WARMUP:-150000}
# 45 s: with 15 s the gate's JIT is still compiling and it gives 30-40% less (1,560-2,330/s against 2,640/s)
WARMUP_SECONDS=${WARMUP_SECONDS:-45}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
SECONDS_=${SECONDS_:-20}
HEAP=${HEAP:-160m}
JAVA_PORT=${JAVA_PORT:-18090}
NODE_PORT=${NODE_PORT:-18091}
# where the gate writes its decision log (its signed heads are forced to disk): the run's temp dir unless given
DECISIONS=${DECISIONS:-}
DIR=$(mktemp -d)
JAR=benchmarks/target/benchmarks.jar
java -cp $JAR dev.tabard.benchmarks.load.GateLoad prepare "$DIR" "$N" 2> /dev/null
head -n "$WARMUP" "$DIR/requests.txt" > "$DIR/warmup.txt"
tail -n +"$((WARMUP + 1))" "$DIR/requests.txt" > "$DIR/measure.txt"
rm "$DIR/requests.txt"
# the options of the verifier's load test
java -Xmx$HEAP -Xms$HEAP -XX:+UseParallelGC ${JAVA_OPTS:-} -cp $JAR dev.tabard.benchmarks.load.GateLoad serve $JAVA_PORT "$DIR" ${DECISIONS:+"$DECISIONS"} > "$DIR/java.log" 2>&1 &
JAVA=$!
node benchmarks/node/gate-peer.mjs $NODE_PORT "$DIR" > "$DIR/node.log" 2>&1 &
NODE=$!
trap 'kill $JAVA $NODE 2>/dev/null; wait $JAVA 2>/dev/null || true; grep -h "^accepted" "$DIR/java.log" || true; rm -rf "$DIR"; [ -z "$DECISIONS" ] || rm -f "$DECISIONS/decisions-$JAVA_PORT.jsonl"' EXIT
for port in $JAVA_PORT $NODE_PORT; do # wait until both answer (an unsigned request: 401)
  for _ in $(seq 150); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/orders/0")" != 000 ] && break; sleep 0.2; done
done
memory() { # pid: resident now and at its peak
  awk '/^VmRSS/ {rss=$2} /^VmHWM/ {hwm=$2} END {printf "RSS %.0f MB, peak %.0f MB", rss/1024, hwm/1024}' "/proc/$1/status"
}
cpu() { # pid: user + system CPU seconds so far
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"
}
run() { # name port pid
  WRK_THREADS=$THREADS REQUESTS="$DIR/warmup.txt" wrk -s benchmarks/load/requests.lua -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" \
    "http://127.0.0.1:$2/" | awk '/^requests/ {print "  warm-up: " $0}'
  local before out after
  before=$(cpu "$3")
  out=$(WRK_THREADS=$THREADS REQUESTS="$DIR/measure.txt" wrk -s benchmarks/load/requests.lua -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_}s" \
    "http://127.0.0.1:$2/" | awk '/Requests\/sec/ {rps=$2} /^requests/ {line=$0} END {print rps " requests/s; " line}')
  after=$(cpu "$3")
  echo "$1: $out"
  echo "$1: $(memory "$3"); $(echo "$out" | awk -v b="$before" -v a="$after" '{for (i = 1; i < NF; i++) if ($i == "requests") n = $(i + 1)}
    END {printf "CPU %.1f s during the measured run, %.2f ms a request", a - b, (a - b) * 1000 / n}')"
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
run "tabard gate (GatePlugin, -Xmx$HEAP)" $JAVA_PORT $JAVA
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
run "node + http-message-signatures peer" $NODE_PORT $NODE
