#!/usr/bin/env bash
# The failover walk-through: a real repmgr cluster, a write through the floating IP, kill -9 of the primary, and
# the same write landing on the promoted standby after pgflip moved the floating IP through the DigitalOcean API.
# Usage: scripts/demo.sh [--keep]   (--keep leaves the lab running; './pgflip lab down' removes it)
set -euo pipefail
cd "$(dirname "$0")/.."
keep=false
[[ "${1:-}" == "--keep" ]] && keep=true

export PGFLIP_LAB_DIR="${PGFLIP_LAB_DIR:-/tmp/pgflip-lab}"
cleanup() { $keep || ./pgflip lab down >/dev/null 2>&1 || true; }
trap cleanup EXIT

now_ms() { date +%s%3N; }
eval "$(./pgflip lab env)"
sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 "host=$1 port=5432 dbname=postgres user=postgres connect_timeout=1" -c "$2"; }

echo "== 1. lab up"
./pgflip lab up
eval "$(./pgflip lab env)"

echo; echo "== 2. normal situation: a write through the floating IP $PGHOST"
sql "$PGHOST" "CREATE TABLE IF NOT EXISTS countries (country_id serial PRIMARY KEY, name varchar(255), is_eu_member boolean)"
sql "$PGHOST" "INSERT INTO countries (name, is_eu_member) VALUES ('Portugal', true)"
echo "served by: $(sql "$PGHOST" "SELECT 'node at ' || inet_server_addr() || ', in recovery: ' || pg_is_in_recovery() || ' (' || (SELECT node_name FROM repmgr.nodes WHERE node_id = (SELECT repmgr.get_local_node_id())) || ')'" 2>/dev/null || sql "$PGHOST" "SELECT pg_is_in_recovery()")"
echo "read from the standby 198.18.0.12: $(sql 198.18.0.12 "SELECT count(*) || ' countries, in recovery: ' || pg_is_in_recovery() FROM countries")"

echo; echo "== 3. primary failure: kill -9 of n1's postmaster and all its children"
t0=$(now_ms)
./pgflip lab fault kill n1
first_ok=""
for _ in $(seq 1 300); do
  if sql "$PGHOST" "INSERT INTO countries (name, is_eu_member) VALUES ('Spain', true)" >/dev/null 2>&1; then
    first_ok=$(now_ms); break
  fi
  sleep 0.05
done
[[ -n "$first_ok" ]] || { echo "no write through the floating IP within 15 s" >&2; ./pgflip lab status; exit 1; }
echo "first write through the floating IP after the kill: +$((first_ok - t0)) ms"

echo; echo "== 4. after the failover"
./pgflip lab status
echo "countries on the new primary: $(sql 198.18.0.12 "SELECT string_agg(name, ', ' ORDER BY country_id) FROM countries")"
echo; echo "agent and repmgr events (logs/events.jsonl):"
tail -n 8 "$PGFLIP_LAB_DIR/logs/events.jsonl" 2>/dev/null || true
$keep && echo "lab kept running in $PGFLIP_LAB_DIR ('./pgflip lab down' removes it)"
