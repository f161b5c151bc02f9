#!/usr/bin/env bash
# Signed agent requests (a bound caller; GETs and small POSTs, each with its own nonce) through Tabard's gate and
# through a Node endpoint built on the http-message-signatures package that performs the same request checks and signs
# its answer (benchmarks/node/gate-peer.mjs), one after the other, with the same requests and connections, and the
# load generator (wrk, in C, so that it takes as little of the cores as it can) on the same machine. Each server sees
# each request once. Build first:
#   mvn -q -B -Pbenchmarks -pl benchmarks -am -DskipTests package
#   (cd benchmarks/node && npm ci)
# Needs wrk (Debian: apt-get install wrk). Requests are valid for 5 minutes from `prepare`: the whole run fits in that
# with two servers; SERVERS="gate node cli" (the cli row needs `mvn -q -B -pl cli -am package -DskipTests`) comes close.
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
# which servers, in this order: gate (GateLoad serve), node (the peer), cli (tabard gate serve before an upstream)
SERVERS=${SERVERS:-gate node}
CLI_JAR=${CLI_JAR:-cli/target/tabard.jar}
CLI_PORT=${CLI_PORT:-18092}
UPSTREAM_PORT=${UPSTREAM_PORT:-18093}
DIR=$(mktemp -d)
JAR=benchmarks/target/benchmarks.jar
java -cp $JAR dev.tabard.benchmarks.load.GateLoad prepare "$DIR" "$N" 2> /dev/null
head -n "$WARMUP" "$DIR/requests.txt" > "$DIR/warmup.txt"
tail -n +"$((WARMUP + 1))" "$DIR/requests.txt" > "$DIR/measure.txt"
rm "$DIR/requests.txt"
PIDS=""
trap 'kill $PIDS 2>/dev/null; [ -z "${JAVA:-}" ] || { wait $JAVA 2>/dev/null || true; grep -h "^accepted" "$DIR/java.log" || true; }; rm -rf "$DIR"; [ -z "$DECISIONS" ] || rm -f "$DECISIONS/decisions-$JAVA_PORT.jsonl"' EXIT
answers() { # port: wait until it answers (an unsigned request: 401)
  for _ in $(seq 150); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/orders/0")" != 000 ] && return; sleep 0.2; done
}
for server in $SERVERS; do
  case $server in
    gate) # the options of the verifier's load test
      java -Xmx$HEAP -Xms$HEAP -XX:+UseParallelGC ${JAVA_OPTS:-} -cp $JAR dev.tabard.benchmarks.load.GateLoad serve $JAVA_PORT "$DIR" \
        ${DECISIONS:+"$DECISIONS"} > "$DIR/java.log" 2>&1 &
      JAVA=$!; PIDS="$PIDS $JAVA"; answers $JAVA_PORT ;;
    node)
      node benchmarks/node/gate-peer.mjs $NODE_PORT "$DIR" > "$DIR/node.log" 2>&1 &
      NODE=$!; PIDS="$PIDS $NODE"; answers $NODE_PORT ;;
    cli) # tabard gate serve (GateServer, a reverse proxy) in front of a Node upstream, bound by a first contact over HTTP
      node benchmarks/node/gate-upstream.mjs $UPSTREAM_PORT > "$DIR/upstream.log" 2>&1 &
      PIDS="$PIDS $!"
      export TABARD_WALLET_SECRET=gate-load-secret
      java -jar "$CLI_JAR" wallet init --wallet "$DIR/gate-wallet.db" > /dev/null
      echo "{\"trustedIssuers\": [$(grep -o '"organization":"[^"]*"' "$DIR/gate.json" | cut -d: -f2-)]}" > "$DIR/policy.json"
      cat > "$DIR/routes.json" << 'ROUTES'
{"audience": "http://gate.test",
 "routes": [{"method": "POST", "path": "/orders", "capability": "orders:place", "amount": "body:/total/value", "currency": "body:/total/currency"},
            {"method": "GET", "path": "/orders/{id}", "capability": "orders:read", "resource": "path:id"}],
 "limits": {"agent": {"requests": 1000000, "per": "PT1S"}, "organization": {"requests": 1000000, "per": "PT1S"}}}
ROUTES
      java -Xmx$HEAP -Xms$HEAP -XX:+UseParallelGC ${JAVA_OPTS:-} -jar "$CLI_JAR" gate serve --port $CLI_PORT \
        --upstream http://127.0.0.1:$UPSTREAM_PORT --routes "$DIR/routes.json" --policy "$DIR/policy.json" \
        --wallet "$DIR/gate-wallet.db" --log "$DIR/cli-decisions.jsonl" > "$DIR/cli.log" 2>&1 &
      CLI=$!; PIDS="$PIDS $CLI"; answers $CLI_PORT
      node benchmarks/node/first-contact.mjs $CLI_PORT "$DIR" ;;
    *) echo "unknown server $server: gate, node or cli" >&2; exit 2 ;;
  esac
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
for server in $SERVERS; do
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
  case $server in
    gate) run "tabard gate (GatePlugin, -Xmx$HEAP)" $JAVA_PORT $JAVA ;;
    node) run "node + http-message-signatures peer" $NODE_PORT $NODE ;;
    cli) run "tabard gate serve (GateServer proxy, -Xmx$HEAP) + node upstream" $CLI_PORT $CLI ;;
  esac
done
