#!/usr/bin/env bash
# AgentCredential issuances per second over HTTP: the issuer (tabard.jar, SQLite in a temp dir) in one JVM,
# the load generator (wrk, in C, so that it takes as little of the 2 cores as it can) beside it. Build first:
#   mvn -q -B -DskipTests install
# Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
PORT=${PORT:-18443}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
SECONDS_=${SECONDS_:-20}
DATA=$(mktemp -d)
export TABARD_ADMIN_TOKEN="$(openssl rand -base64 32)"
export TABARD_SECRET=load-test-secret
java -Xmx512m -jar cli/target/tabard.jar issuer serve --port "$PORT" --data "$DATA" > "$DATA/issuer.log" 2>&1 &
ISSUER=$!
trap 'kill $ISSUER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break; sleep 0.2; done
AGENT=did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK
curl -sf -H "Authorization: Bearer $TABARD_ADMIN_TOKEN" -H "Content-Type: application/json" -d "{\"did\":\"$AGENT\",\"name\":\"load-agent\",\"operator\":{\"name\":\"ops\"},\"capabilities\":[\"supplier:lookup\"]}" \
  "http://127.0.0.1:$PORT/admin/agents" > /dev/null
URL="http://127.0.0.1:$PORT/admin/agents/$AGENT/credentials"
TOKEN=$TABARD_ADMIN_TOKEN wrk -s benchmarks/load/issue.lua -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_SECONDS:-15}s" "$URL" > /dev/null # warm-up
echo "AgentCredential issuance, $CONNECTIONS connections, ${SECONDS_} s: $(TOKEN=$TABARD_ADMIN_TOKEN wrk -s benchmarks/load/issue.lua \
  -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_}s" "$URL" | awk '/Requests\/sec/ {rps=$2} /^requests/ {line=$0} END {print rps " issuances/s; " line}')"
echo "issuer RSS: $(ps -o rss= -p $ISSUER | awk '{printf "%.0f MB", $1/1024}')"
kill "$ISSUER"; wait "$ISSUER" || true # SIGTERM: finishes what is in flight, commits what is queued
echo "audit chain after the run: $(java -jar cli/target/tabard.jar audit verify --data "$DATA" 2>&1 | tail -1)"
