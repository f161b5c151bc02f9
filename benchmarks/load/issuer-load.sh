#!/usr/bin/env bash
# AgentCredential issuances per second over HTTP: the issuer (vouch.jar, SQLite in a temp dir) in one JVM,
# the load generator in another, on this machine. Build first:
#   mvn -q -B -DskipTests install && mvn -q -B -Pbenchmarks -pl benchmarks -am -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18443}
CONNECTIONS=${CONNECTIONS:-16}
SECONDS_=${SECONDS_:-20}
DATA=$(mktemp -d)
export VOUCH_ADMIN_TOKEN=load-test-admin-token
export VOUCH_SECRET=load-test-secret
java -Xmx512m -jar cli/target/vouch.jar issuer serve --port "$PORT" --data "$DATA" > "$DATA/issuer.log" 2>&1 &
ISSUER=$!
trap 'kill $ISSUER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break; sleep 0.2; done
AGENT=did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK
curl -sf -H "Authorization: Bearer $VOUCH_ADMIN_TOKEN" -d "{\"did\":\"$AGENT\",\"name\":\"load-agent\",\"operator\":{\"name\":\"ops\"},\"capabilities\":[\"supplier:lookup\"]}" \
  "http://127.0.0.1:$PORT/admin/agents" > /dev/null
java -cp benchmarks/target/benchmarks.jar dev.vouch.benchmarks.load.HttpLoad issue "http://127.0.0.1:$PORT" "$VOUCH_ADMIN_TOKEN" "$AGENT" "$CONNECTIONS" "$SECONDS_"
echo "issuer RSS: $(ps -o rss= -p $ISSUER | awk '{printf "%.0f MB", $1/1024}')"
