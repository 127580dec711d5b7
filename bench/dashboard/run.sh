#!/usr/bin/env bash
# bench/dashboard: server time of "My access" (GET /) for a person in 20 groups, with 50 accounts x
# 10 clusters (1,500 cluster levels), 5,000 users and 200 groups seeded. Runs the packaged portal on
# an embedded PostgreSQL and measures with wrk on loopback. Prints a table for bench/README.md.
# Needs: Java 17, wrk, psql (Debian: apt-get install wrk postgresql-client). Usage: bash bench/dashboard/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "install wrk" >&2; exit 1; }
command -v psql >/dev/null || { echo "install postgresql-client (psql)" >&2; exit 1; }

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

echo "== building"
./mvnw -q -B package -DskipTests
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null

echo "== starting PostgreSQL"
java -cp "$(cat "$WORK/cp.txt")" bench/dashboard/StartPostgres.java > "$WORK/pg.out" 2>"$WORK/pg.err" &
PIDS+=($!)
for _ in $(seq 1 60); do grep -q '^PORT ' "$WORK/pg.out" 2>/dev/null && break; sleep 0.5; done
JDBC=$(head -1 "$WORK/pg.out"); PGPORT=$(sed -n 's/^PORT //p' "$WORK/pg.out")

echo "== starting the portal"
PORT=18080
QUARKUS_DATASOURCE_JDBC_URL="$JDBC" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=x \
LATCH_OAUTH_KEY_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64) QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=19000 \
LATCH_PORTAL_PUBLIC_URL=http://localhost:$PORT \
  java -Xmx512m -jar target/quarkus-app/quarkus-run.jar > "$WORK/portal.log" 2>&1 &
PORTAL=$!; PIDS+=($PORTAL)
for _ in $(seq 1 120); do curl -fs "http://localhost:19000/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done

echo "== seeding"
psql -q -h localhost -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -f bench/dashboard/seed.sql
COOKIE="latch-session=bench-session-token-0123456789abcdefghijklmnop"
ROWS=$(curl -fs -H "Cookie: $COOKIE" "http://localhost:$PORT/" | grep -c 'aria-label="cluster ' || true)
[ "$ROWS" -gt 0 ] || { echo "the dashboard shows nothing for the bench user" >&2; exit 1; }

echo "== warming up"
wrk -t1 -c1 -d15s -H "Cookie: $COOKIE" "http://localhost:$PORT/" >/dev/null
echo "== measuring"
wrk -t1 -c1 -d30s --latency -H "Cookie: $COOKIE" "http://localhost:$PORT/" > "$WORK/c1.txt"
wrk -t2 -c4 -d30s --latency -H "Cookie: $COOKIE" "http://localhost:$PORT/" > "$WORK/c4.txt"
RSS=$(ps -o rss= -p "$PORTAL" | tr -d ' ')

pick() { awk -v k="$2" '$1==k {print $2}' "$1"; }
rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
{
  echo "## bench/dashboard ($(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1))"
  echo
  echo "Seeded: 50 accounts x 10 clusters x 3 levels, 5,000 users, 200 groups x 20 entitlements; the"
  echo "measured person is in 20 groups and sees $ROWS clusters. GET / (My access), full page."
  echo
  echo "| load | p50 | p90 | p99 | requests/s |"
  echo "|---|---:|---:|---:|---:|"
  echo "| 1 connection | $(pick "$WORK/c1.txt" 50%) | $(pick "$WORK/c1.txt" 90%) | $(pick "$WORK/c1.txt" 99%) | $(rate "$WORK/c1.txt") |"
  echo "| 4 connections | $(pick "$WORK/c4.txt" 50%) | $(pick "$WORK/c4.txt" 90%) | $(pick "$WORK/c4.txt" 99%) | $(rate "$WORK/c4.txt") |"
  echo
  echo "Portal resident memory after the run: $((RSS / 1024)) MiB."
} | tee "$WORK/results.md"
