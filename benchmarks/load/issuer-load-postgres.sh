#!/usr/bin/env bash
# AgentCredential issuances per second over HTTP with two issuer instances on one PostgreSQL database, as an
# organization runs them behind a load balancer: a PostgreSQL server made for the run (Debian's binaries, in a temp
# dir, as the postgres user when run as root), two `tabard.jar issuer serve --database-url` processes and one wrk per
# instance, all on this machine. Afterwards: duplicate status indexes (must be 0), credentials without their two
# entries (0), and `tabard audit verify` over the one chain. Build first:
#   mvn -q -B -DskipTests install
# Needs wrk and PostgreSQL's server binaries (Debian: apt-get install wrk postgresql).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$BIN/postgres" ] || { echo "PostgreSQL's server is needed: apt-get install postgresql" >&2; exit 2; }
CONNECTIONS=${CONNECTIONS:-8}   # per instance
SECONDS_=${SECONDS_:-20}
PG_PORT=${PG_PORT:-15432}
PORT_A=${PORT_A:-18443}
PORT_B=${PORT_B:-18444}
WORK=$(mktemp -d)
chmod 755 "$WORK"
AS=()
if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); chown postgres: "$WORK"; fi
"${AS[@]}" "$BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust --no-sync > "$WORK/initdb.log"
"${AS[@]}" "$BIN/postgres" -D "$WORK/pg" -c listen_addresses=127.0.0.1 -p "$PG_PORT" -k "$WORK" > "$WORK/pg.log" 2>&1 &
PG=$!
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; kill "$PG" 2>/dev/null || true; wait "$PG" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 100); do psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 'select 1' > /dev/null 2>&1 && break; sleep 0.2; done
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 'CREATE DATABASE tabard'
echo "$("$BIN/postgres" --version)"
export TABARD_ADMIN_TOKEN="$(openssl rand -base64 32)"
export TABARD_SECRET=load-test-secret
export TABARD_ISSUER_DATABASE_USER=postgres
URL="jdbc:postgresql://127.0.0.1:$PG_PORT/tabard"
serve() { # DATA PORT
  java -Xmx512m -jar cli/target/tabard.jar issuer serve --port "$2" --data "$1" --public-url https://issuer.example \
    --database-url "$URL" > "$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$2/healthz" > /dev/null && return; sleep 0.2; done
  echo "instance on $2 did not start:" >&2; cat "$1.log" >&2; exit 1
}
mkdir -p "$WORK/b"
serve "$WORK/a" "$PORT_A"
cp "$WORK"/a/*.key "$WORK/b/" 2>/dev/null || true # the operator gives every instance the same secret files
serve "$WORK/b" "$PORT_B"
AGENT=did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK
curl -sf -H "Authorization: Bearer $TABARD_ADMIN_TOKEN" -H "Content-Type: application/json" -d "{\"did\":\"$AGENT\",\"name\":\"load-agent\",\"operator\":{\"name\":\"ops\"},\"capabilities\":[\"supplier:lookup\"]}" \
  "http://127.0.0.1:$PORT_A/admin/agents" > /dev/null
run() { # SECONDS OUT_PREFIX: one wrk per instance, at once
  local loads=()
  for p in "$PORT_A" "$PORT_B"; do
    TOKEN=$TABARD_ADMIN_TOKEN wrk -s benchmarks/load/issue.lua -t1 -c"$CONNECTIONS" -d"$1s" \
      "http://127.0.0.1:$p/admin/agents/$AGENT/credentials" > "$2-$p.txt" &
    loads+=($!)
  done
  wait "${loads[@]}"
}
run "${WARMUP_SECONDS:-15}" "$WORK/warm"
run "$SECONDS_" "$WORK/run"
for p in "$PORT_A" "$PORT_B"; do
  echo "instance :$p: $(awk '/Requests\/sec/ {rps=$2} /^requests/ {line=$0} END {print rps " issuances/s; " line}' "$WORK/run-$p.txt")"
done
echo "both: $(cat "$WORK"/run-*.txt | awk '/Requests\/sec/ {s+=$2} END {printf "%.0f issuances/s", s}')"
echo "RSS: $(for p in "${PIDS[@]}"; do ps -o rss= -p "$p"; done | awk '{printf "%.0f MB ", $1/1024}')"
kill "${PIDS[@]}"; wait "${PIDS[@]}" || true
Q() { psql -tA -h 127.0.0.1 -p "$PG_PORT" -U postgres -d tabard -c "$1"; }
echo "credentials: $(Q 'SELECT count(*) FROM credentials'); duplicate status indexes: $(Q 'SELECT count(*) FROM (SELECT list_id, idx FROM status_allocations GROUP BY 1, 2 HAVING count(*) > 1) d'); credentials without their two entries: $(Q 'SELECT count(*) FROM credentials c WHERE (SELECT count(*) FROM status_allocations s WHERE s.credential_id = c.id) <> 2')"
echo "audit chain after the run: $(java -jar cli/target/tabard.jar audit verify --data "$WORK/a" --database-url "$URL" 2>&1 | tail -1)"
