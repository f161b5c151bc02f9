#!/usr/bin/env bash
# The verifier endpoint against a Node endpoint built on jose that performs the same checks, on the same distinct
# presentations (each with its own nonce), one after the other, with the load generator (wrk, in C, so that it takes
# as little of the 2 cores as it can) on the same machine. Build first:
#   mvn -q -B -DskipTests install && mvn -q -B -Pbenchmarks -pl benchmarks -am -DskipTests package
#   (cd benchmarks/node && npm ci)
# Needs wrk (Debian: apt-get install wrk).
# SERVERS picks the runs, one after the other on the same bodies: java (the options below), node (the peer), launcher
# (the JVM options and environment that LAUNCHER, the distribution's bin/tabard, gives `tabard verifier serve`; build it
# with `mvn -q -B -pl cli -am package -DskipTests`) and bare (no JVM options, as `java -jar tabard.jar` starts), e.g.
#   SERVERS="bare launcher" bash benchmarks/load/verifier-load.sh
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
SERVERS=${SERVERS:-java node}
LAUNCHER=${LAUNCHER:-cli/target/tabard/bin/tabard}
# JAVA_OPTS=-Dtabard.verifiedTokens=0: the verifier checks every credential token in full, not once per distinct token
DIR=$(mktemp -d)
JAR=${BENCHMARKS_JAR:-benchmarks/target/benchmarks.jar}
java -cp $JAR dev.tabard.benchmarks.load.VerifierLoad prepare "$DIR" "$N" > /dev/null
head -n "$WARMUP" "$DIR/bodies.txt" > "$DIR/warmup.txt"
tail -n +"$((WARMUP + 1))" "$DIR/bodies.txt" > "$DIR/measure.txt"
PIDS=""
trap 'kill $PIDS 2>/dev/null; rm -rf "$DIR"' EXIT
answers() { # port: wait until it answers
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/healthz" && return; sleep 0.2; done
}
L_ENV=() L_JAVA="" L_OPTS=()
launcher_options() { # the environment, java and JVM options the launcher gives `tabard verifier serve`
  local line
  while IFS= read -r line; do
    if [ -z "$L_JAVA" ]; then
      case $line in [A-Z]*=*) L_ENV+=("$line") ;; *) L_JAVA=$line ;; esac
    elif [ "$line" = -jar ]; then
      break
    else
      L_OPTS+=("$line")
    fi
  done < <(TABARD_LAUNCHER_DRY_RUN=1 "$LAUNCHER" verifier serve)
  echo "launcher's options: ${L_ENV[*]} ${L_OPTS[*]}"
}
PORT=18080
for server in $SERVERS; do
  case $server in
    java) java -Xmx$HEAP -Xms$HEAP -XX:+UseParallelGC ${JAVA_OPTS:-} -cp $JAR dev.tabard.benchmarks.load.VerifierLoad serve $PORT "$DIR" > "$DIR/java.log" 2>&1 & ;;
    node) node benchmarks/node/verifier-peer.mjs $PORT "$DIR" > "$DIR/node.log" 2>&1 & ;;
    launcher) # the same endpoint started as the launcher starts tabard.jar
      launcher_options
      env "${L_ENV[@]}" "$L_JAVA" "${L_OPTS[@]}" ${JAVA_OPTS:-} -cp "$JAR" dev.tabard.benchmarks.load.VerifierLoad serve $PORT "$DIR" \
        > "$DIR/launcher.log" 2>&1 & ;;
    bare) java ${JAVA_OPTS:-} -cp $JAR dev.tabard.benchmarks.load.VerifierLoad serve $PORT "$DIR" > "$DIR/bare.log" 2>&1 & ;;
    *) echo "unknown server $server: java, node, launcher or bare" >&2; exit 2 ;;
  esac
  PIDS="$PIDS $!"; eval "PID_$server=$! PORT_$server=$PORT"; answers $PORT; PORT=$((PORT + 1))
done
memory() { # pid: resident now and at its peak
  awk '/^VmRSS/ {rss=$2} /^VmHWM/ {hwm=$2} END {printf "%.0f MB, peak %.0f MB", rss/1024, hwm/1024}' "/proc/$1/status"
}
run() { # name url pid
  WRK_THREADS=$THREADS BODIES="$DIR/warmup.txt" wrk -s benchmarks/load/bodies.lua -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" "$2/presentations/verify" > /dev/null
  echo "$1: $(WRK_THREADS=$THREADS BODIES="$DIR/measure.txt" wrk -s benchmarks/load/bodies.lua -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_}s" \
    "$2/presentations/verify" | awk '/Requests\/sec/ {rps=$2} /^requests/ {line=$0} END {print rps " presentations/s; " line}')"
  echo "$1 RSS: $(memory "$3")"
}
for server in $SERVERS; do
  eval "pid=\$PID_$server port=\$PORT_$server"
  case $server in
    java) run "tabard verifier (-Xmx$HEAP)" "http://127.0.0.1:$port" "$pid" ;;
    node) run "node + jose peer" "http://127.0.0.1:$port" "$pid" ;;
    launcher) run "tabard verifier (the launcher's options)" "http://127.0.0.1:$port" "$pid" ;;
    bare) run "tabard verifier (no JVM options)" "http://127.0.0.1:$port" "$pid" ;;
  esac
done
