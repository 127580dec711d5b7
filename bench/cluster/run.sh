#!/usr/bin/env bash
# bench/cluster (issue 8): two portal instances, one PostgreSQL, one moto_server, behind nginx on
# loopback. Mixed load (half `GET /api/v1/kube/token` with a fresh DPoP proof, half `GET /` with a
# session cookie) at fixed concurrency, then two faults under the same load.
#
#   phase A  one instance in the nginx upstream (the baseline, same run)
#   phase B  both instances
#   phase C  both; PostgreSQL stopped for OUTAGE seconds mid-load and started again (same port and data dir);
#            alongside the load a writer files a request and approves it with a second person's key every
#            WRITE_EVERY ms; afterwards every acknowledged approval must have its grant, its audit row and exactly
#            one webhook delivery per event (a webhook receiver runs for the whole bench; email is off)
#   phase D  both; instance 2 killed with SIGKILL mid-load
#
# Set-up and the DPoP load generator are bench/token's (TokenBench.java); bench/cluster/ClusterBench.java
# adds the mixed load, the row counts and the audit chain check.
#
# Needs: Java 17, moto_server (pip install 'moto[server]'), nginx (apt-get install nginx; only the
# binary is used, with a generated config in a temporary prefix; the system service is not touched).
# Usage: bash bench/cluster/run.sh
#   DURATION=120 (s, phases A and B)  WORKERS=16  WARMUP=20 (s)  HEAP=320m (per portal instance)
#   OUTAGE=30 (s PostgreSQL is down)  PRE=20 POST=40 (s of load before the stop and after the restart)
#   KILL_AT=20 KILL_LOAD=60 (phase D: kill after this many s of a load this long)  FAULTS=yes (no: A and B only)
#   WRITE_EVERY=700 (ms, phase C writer)  DRAIN=60 (s to wait for the outbox after phase C)
#   BUILD=yes (no: reuse target/ from an earlier build, for quick trials)
set -euo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C
DURATION="${DURATION:-120}"
WORKERS="${WORKERS:-16}"
WARMUP="${WARMUP:-20}"
HEAP="${HEAP:-320m}"
OUTAGE="${OUTAGE:-30}"
FAULTS="${FAULTS:-yes}"
WRITE_EVERY="${WRITE_EVERY:-700}"; DRAIN="${DRAIN:-60}"
PRE="${PRE:-20}"; POST="${POST:-40}"; KILL_AT="${KILL_AT:-20}"; KILL_LOAD="${KILL_LOAD:-60}"
command -v moto_server >/dev/null || { echo "install moto_server: pip install 'moto[server]'" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "install nginx: apt-get install -y nginx (the service need not run)" >&2; exit 1; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RAW="bench/results/raw/cluster-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RAW"
RAW=$(cd "$RAW" && pwd)
WORK=$(mktemp -d)
chmod 755 "$WORK" # nginx workers run as nobody and need to reach their temp directories
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${PG_PID:-}" ] && kill "$PG_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 240); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "no answer from $1" >&2; return 1; }
now_ms() { date +%s%3N; }
rss_kib() { ps -o rss= -p "$1" 2>/dev/null | tr -d ' ' || true; }

echo "== building"
[ "${BUILD:-yes}" = no ] || ./mvnw -q -B package -DskipTests
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="target/test-classes:target/classes:$(cat "$WORK/cp.txt")"
# TokenBench and ClusterBench share classes, so they are compiled together (not run as single files).
mkdir -p "$WORK/bench-classes"
javac -encoding UTF-8 -nowarn -cp "$CP" -d "$WORK/bench-classes" bench/token/TokenBench.java bench/cluster/ClusterBench.java
BENCH=(java -Xmx256m -cp "$WORK/bench-classes:$CP")

echo "== starting PostgreSQL and moto_server"
# A fixed data directory and port, so that phase C can stop PostgreSQL and bring the same database back.
PG_DATA="$WORK/pg-data"; PG_BIN="$WORK/pg-bin"; PG_PORT=$(free_port)
mkdir -p "$PG_DATA" "$PG_BIN"
start_pg() {
  : > "$WORK/pg.out"
  "${BENCH[@]}" bench/dashboard/StartPostgres.java "$PG_DATA" "$PG_PORT" "$PG_BIN" > "$WORK/pg.out" 2>>"$RAW/postgres.log" &
  PG_PID=$!
  for _ in $(seq 1 120); do grep -q '^PORT ' "$WORK/pg.out" 2>/dev/null && return 0; sleep 0.25; done
  echo "PostgreSQL did not start" >&2; return 1
}
start_pg
JDBC=$(head -1 "$WORK/pg.out")
MOTO_PORT=$(free_port)
moto_server -H 127.0.0.1 -p "$MOTO_PORT" > "$RAW/moto.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$MOTO_PORT/moto-api/"

# nginx on loopback: round robin, a failed connection goes to the other instance (GETs only here),
# and a server that failed once is skipped for 5 s (passive health; open-source nginx has no active checks).
LB_PORT=$(free_port); P1=$(free_port); P2=$(free_port)
PUBLIC="http://localhost:$LB_PORT"
mkdir -p "$WORK/nginx/logs"
nginx_conf() { # upstream server lines...
  cat <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $RAW/nginx-error.log warn;
events { worker_connections 1024; }
http {
  log_format lb '\$msec \$status "\$request" upstream=\$upstream_addr upstream_status=\$upstream_status rt=\$request_time';
  access_log $RAW/nginx-access.log lb;
  upstream latch {
$(for s in "$@"; do echo "    server 127.0.0.1:$s max_fails=1 fail_timeout=5s;"; done)
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$LB_PORT;
    location / {
      proxy_pass http://latch;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # overwrite, never append: the portal trusts these with LATCH_PROXY_FORWARDING=true
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
    }
  }
}
EOF
}
use_upstream() { nginx_conf "$@" > "$WORK/nginx/nginx.conf"; "$NGINX" -t -q -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"; kill -HUP "$NGINX_PID"; sleep 1; }
nginx_conf "$P1" "$P2" > "$WORK/nginx/nginx.conf"
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!; PIDS+=($NGINX_PID)

# The webhook receiver (bench/cluster's, a JDK HttpServer): every body appended to hooks.txt.
HOOK_PORT=$(free_port)
"${BENCH[@]}" ClusterBench hooks "$HOOK_PORT" "$RAW/hooks.txt" 2> "$RAW/hooks.log" &
PIDS+=($!)

echo "== starting two portal instances (-Xmx$HEAP each)"
# Same database, same key encryption key, same public URL (the load balancer's).
KEK=$(head -c 32 /dev/urandom | base64)
# Each instance's management interface (health, metrics) is on its port + 1000.
start_portal() { # port log
  QUARKUS_DATASOURCE_JDBC_URL="$JDBC" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=x \
  LATCH_OAUTH_KEY_ENCRYPTION_KEY="$KEK" QUARKUS_HTTP_PORT=$1 QUARKUS_MANAGEMENT_PORT=$(($1 + 1000)) LATCH_PORTAL_PUBLIC_URL="$PUBLIC" LATCH_PROXY_FORWARDING=true \
  LATCH_AWS_ENDPOINT="http://127.0.0.1:$MOTO_PORT" LATCH_AWS_ACCESS_KEY_ID=testing LATCH_AWS_SECRET_ACCESS_KEY=testing \
  LATCH_AWS_REGION=eu-west-1 LATCH_NOTIFY_WEBHOOK_URL="http://127.0.0.1:$HOOK_PORT/hook" LATCH_NOTIFY_EMAIL_ENABLED=false \
  LATCH_NOTIFY_EVERY=1s \
    java "-Xmx$HEAP" -jar target/quarkus-app/quarkus-run.jar > "$2" 2>&1 &
}
# One after the other, so only the first runs the migrations and logs the bootstrap link.
start_portal "$P1" "$RAW/portal-1.log"; PORTAL1=$!; PIDS+=($PORTAL1)
wait_for "http://127.0.0.1:$((P1 + 1000))/q/health/ready"
start_portal "$P2" "$RAW/portal-2.log"; PORTAL2=$!; PIDS+=($PORTAL2)
wait_for "http://127.0.0.1:$((P2 + 1000))/q/health/ready"
wait_for "$PUBLIC/signin"
BOOTSTRAP=$(grep -o 'http://[^ ]*/enrol/[A-Za-z0-9_-]*' "$RAW/portal-1.log" | head -1)
[ -n "$BOOTSTRAP" ] || { echo "the portal logged no bootstrap link" >&2; exit 1; }

echo "== setting up one person over HTTP, through nginx"
"${BENCH[@]}" TokenBench setup "$PUBLIC" "$PUBLIC" "$BOOTSTRAP" "$WORK/state.properties" 2>&1 | tee "$RAW/setup.log"
ISSUANCE=$(sed -n 's/^issuance=//p' "$WORK/state.properties")

# Resident memory of both instances every 2 s for the whole run (0 once an instance is gone).
( while :; do echo "$(now_ms) $(rss_kib "$PORTAL1") $(rss_kib "$PORTAL2")"; sleep 2; done ) > "$RAW/rss-kib.txt" &
PIDS+=($!)
: > "$RAW/phases.txt"
mixed() { # name seconds: one mixed-load phase, its times in phases.txt
  local t0; t0=$(now_ms)
  "${BENCH[@]}" ClusterBench mixed "$WORK/state.properties" "$RAW/$1" "$2" "$WORKERS" 2>&1 | tee "$RAW/$1.log"
  echo "$1 $t0 $(now_ms)" >> "$RAW/phases.txt"
}
counts() { "${BENCH[@]}" ClusterBench counts "$JDBC" "$ISSUANCE" > "$RAW/counts-$1.txt"; }
count_of() { sed -n "s/^$2=//p" "$RAW/counts-$1.txt"; }

echo "== warm-up ${WARMUP}s through both instances"
mixed warmup "$WARMUP"
echo "== phase A: one instance, ${DURATION}s at $WORKERS workers"
use_upstream "$P1"
counts A-before
mixed A "$DURATION"
counts A-after
echo "== phase B: two instances, ${DURATION}s at $WORKERS workers"
use_upstream "$P1" "$P2"
mixed B "$DURATION"
counts B-after

if [ "$FAULTS" = yes ]; then
  echo "== phase C: PostgreSQL stopped for ${OUTAGE}s in the middle of the load"
  counts C-before
  mixed C $((PRE + OUTAGE + POST + 5)) &
  LOAD=$!
  # The writer gets its own copy of the state (mixed rewrites the file with the rotated refresh token).
  cp "$WORK/state.properties" "$WORK/writer.properties"
  "${BENCH[@]}" ClusterBench writer "$WORK/writer.properties" "$JDBC" "$RAW/C" $((PRE + OUTAGE + POST)) "$WRITE_EVERY" \
    > "$RAW/C-writer.log" 2>&1 &
  WRITER=$!
  # Readiness of each instance, polled directly (nginx has no active health checks), every 0.5 s.
  ( while kill -0 "$LOAD" 2>/dev/null; do
      echo "$(now_ms) $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$((P1 + 1000))/q/health/ready")" \
           "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$((P2 + 1000))/q/health/ready")"
      sleep 0.5; done ) > "$RAW/C-ready.txt" &
  READY=$!
  sleep "$PRE"
  C_STOP=$(now_ms)
  kill "$PG_PID"; wait "$PG_PID" 2>/dev/null || true # the shutdown hook stops PostgreSQL (pg_ctl stop, fast)
  C_DOWN=$(now_ms)
  sleep "$OUTAGE"
  C_RESTART=$(now_ms)
  start_pg
  C_UP=$(now_ms)
  echo "stop=$C_STOP down=$C_DOWN restart=$C_RESTART up=$C_UP" | tee "$RAW/C-times.txt"
  wait "$LOAD"; wait "$WRITER" || echo "the writer failed: see C-writer.log" >&2; wait "$READY" 2>/dev/null || true
  counts C-after
  echo "== phase C writes: waiting up to ${DRAIN}s for the outbox, then counting"
  "${BENCH[@]}" ClusterBench writecheck "$JDBC" "$RAW/C" "$RAW/hooks.txt" "$DRAIN" 2>&1 | tee "$RAW/C-writecheck.txt" || true

  echo "== phase D: instance 2 killed (SIGKILL) in the middle of the load"
  counts D-before
  mixed D "$KILL_LOAD" &
  LOAD=$!
  sleep "$KILL_AT"
  D_KILL=$(now_ms)
  kill -9 "$PORTAL2"
  echo "kill=$D_KILL" | tee "$RAW/D-times.txt"
  wait "$LOAD"
  counts D-after
fi
"${BENCH[@]}" ClusterBench verify "$WORK/state.properties" > "$RAW/audit-verify.json" 2>&1 || true
kill "${PIDS[-1]}" 2>/dev/null || true # rss sampler; any earlier one is killed by the trap

# ---- summary
MIB() { awk '{printf "%d", $1 / 1024}'; }
rss_stats() { # phase column(2|3): start max end MiB within the phase's times
  local t0 t1; read -r _ t0 t1 < <(grep "^$1 " "$RAW/phases.txt")
  awk -v a="$t0" -v b="$t1" -v c="$2" '$1 >= a && $1 <= b && $c != "" && $c > 0 {v[++n] = $c; if ($c > m) m = $c}
    END {if (n) printf "%d / %d / %d", v[1] / 1024, m / 1024, v[n] / 1024; else printf "-"}' "$RAW/rss-kib.txt"
}
row() { # phase label
  awk -F'\t' -v p="$1" -v l="$2" 'NR > 1 {printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", l, $1, $6, $7, $8, $4, $5, $10}' "$RAW/$1.summary.tsv"
}
window() { # file from_ms to_ms: statuses counted in that window
  awk -v a="$2" -v b="$3" '$1 >= a && $1 < b {n[$3]++} END {for (s in n) printf "%s=%d ", s, n[s]}' "$1"
}
{
  echo "## bench/cluster ($(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $(nproc) cores, $(java -version 2>&1 | head -1), $("$NGINX" -v 2>&1))"
  echo
  echo "Mixed load through nginx: $WORKERS closed-loop workers, each alternating \`GET /api/v1/kube/token\` (fresh ES256 DPoP"
  echo "proof) and \`GET /\` (session cookie); ${DURATION} s per phase after ${WARMUP} s warm-up; portals at -Xmx$HEAP;"
  echo "load generator, nginx, PostgreSQL and moto_server on the same machine."
  echo "Load average (1/5/15 min) before the run: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| phase | requests | req/s | p50 ms | p99 ms | ok | errors | statuses |"
  echo "|---|---|---:|---:|---:|---:|---:|---|"
  row A "A: one instance"
  row B "B: two instances"
  echo
  echo "Resident memory MiB (first / max / last sample of the phase, every 2 s):"
  echo
  echo "| phase | instance 1 | instance 2 |"
  echo "|---|---|---|"
  for p in warmup A B C D; do grep -q "^$p " "$RAW/phases.txt" && echo "| $p | $(rss_stats $p 2) | $(rss_stats $p 3) |"; done
  echo
  echo "Rows (audit_event / kube.token.minted success / issuance token_count / access_grant / notification_outbox):"
  for c in A-before A-after B-after C-before C-after D-before D-after; do
    [ -f "$RAW/counts-$c.txt" ] && echo "- $c: $(count_of $c audit_event) / $(count_of $c audit_minted_ok) / $(count_of $c issuance_token_count) / $(count_of $c access_grant) / $(count_of $c notification_outbox)"
  done
  # Acknowledged mints (200s) against mint audit rows added in the same phase; warm-up, A and B back to back.
  ack_check() { # phase before after
    local ok rows; ok=$(awk '$2 == "t" && $3 ~ /^2/' "$RAW/$1.requests.tsv" | wc -l)
    rows=$(( $(count_of "$3" audit_minted_ok) - $(count_of "$2" audit_minted_ok) ))
    echo "- phase $1: $ok mints answered 200, $rows \`kube.token.minted\` success rows added, token_count +$(( $(count_of "$3" issuance_token_count) - $(count_of "$2" issuance_token_count) )):" \
         "$([ "$rows" -ge "$ok" ] && echo 'no acknowledged mint lost' || echo 'LOST ACKNOWLEDGED MINTS')$([ "$rows" -gt "$ok" ] && echo " ($((rows - ok)) committed but not acknowledged)")"
  }
  ack_check A A-before A-after
  if [ "$FAULTS" = yes ]; then
    ack_check C C-before C-after
    ack_check D D-before D-after
    for t in audit_event access_grant notification_outbox; do
      [ "$(count_of C-after $t)" -ge "$(count_of C-before $t)" ] || echo "- WARNING: $t went down across the outage"
    done
    echo
    echo "Phase C, PostgreSQL outage (times from the stop):"
    echo
    read -r _ C0 C1 < <(grep '^C ' "$RAW/phases.txt")
    echo "- stop issued at +$(( (C_STOP - C0) / 1000 )) s of the load; down after $((C_DOWN - C_STOP)) ms; restarted after $(( (C_RESTART - C_DOWN) / 1000 )) s; accepting connections $((C_UP - C_RESTART)) ms later"
    echo "- before the stop: $(window "$RAW/C.requests.tsv" "$C0" "$C_STOP")"
    echo "- stop to up: $(window "$RAW/C.requests.tsv" "$C_STOP" "$C_UP")"
    echo "- after up: $(window "$RAW/C.requests.tsv" "$C_UP" 99999999999999)"
    echo "- 500s in the whole phase: $(awk '$3 == "500"' "$RAW/C.requests.tsv" | wc -l); portal log lines \"Unexpected failure\" (500): $(cat "$RAW"/portal-*.log | grep -c 'Unexpected failure' || true), \"Database unreachable\" (503): $(cat "$RAW"/portal-*.log | grep -c 'Database unreachable' || true)"
    for k in t d; do
      first=$(awk -v u="$C_UP" -v k="$k" '$1 >= u && $2 == k && $3 ~ /^2/ && (f == "" || $1 < f) {f = $1} END {print f}' "$RAW/C.requests.tsv")
      last_err=$(awk -v u="$C_UP" -v k="$k" '$1 >= u && $2 == k && $3 !~ /^2/ {if ($1 > e) e = $1} END {print e}' "$RAW/C.requests.tsv")
      echo "- $( [ $k = t ] && echo token || echo dashboard): first 2xx answered $([ -n "$first" ] && echo "$((first - C_UP)) ms" || echo never) after PostgreSQL was up; last error $([ -n "$last_err" ] && echo "$((last_err - C_UP)) ms after" || echo none)"
    done
    echo "- writer (file a request, approve it with the approver's key: \`create\`, \`start\`, \`finish\`), statuses:"
    for op in create start finish; do
      echo "  - $op: before the stop $(awk -v o=$op '$2 == o' "$RAW/C.writes.tsv" | window /dev/stdin "$C0" "$C_STOP")/" \
           "stop to up $(awk -v o=$op '$2 == o' "$RAW/C.writes.tsv" | window /dev/stdin "$C_STOP" "$C_UP")/" \
           "after up $(awk -v o=$op '$2 == o' "$RAW/C.writes.tsv" | window /dev/stdin "$C_UP" 99999999999999)"
    done
    first=$(awk -v u="$C_UP" '$1 >= u && $2 == "finish" && $3 ~ /^2/ {print $1; exit}' "$RAW/C.writes.tsv")
    echo "  - 500s from the writer: $(awk '$3 == "500"' "$RAW/C.writes.tsv" | wc -l); first approval answered 2xx" \
         "$([ -n "$first" ] && echo "$((first - C_UP)) ms" || echo never) after PostgreSQL was up"
    echo "- acknowledged writes against rows (after the outbox drained):"
    sed 's/^/  - /' "$RAW/C-writecheck.txt"
    for i in 1 2; do
      back=$(awk -v u="$C_UP" -v c=$((i + 1)) '$1 >= u && $c == "200" {print $1; exit}' "$RAW/C-ready.txt")
      down=$(awk -v a="$C_STOP" -v c=$((i + 1)) '$1 >= a && $c != "200" {print $1; exit}' "$RAW/C-ready.txt")
      echo "- instance $i readiness: down $([ -n "$down" ] && echo "$((down - C_STOP)) ms after the stop" || echo never), ready again $([ -n "$back" ] && echo "$((back - C_UP)) ms after PostgreSQL was up" || echo never)"
    done
    echo
    echo "Phase D, instance 2 killed:"
    echo
    read -r _ D0 D1 < <(grep '^D ' "$RAW/phases.txt")
    echo "- before the kill: $(window "$RAW/D.requests.tsv" "$D0" "$D_KILL")"
    echo "- first second after the kill (in flight): $(window "$RAW/D.requests.tsv" "$D_KILL" $((D_KILL + 1000)))"
    echo "- after that: $(window "$RAW/D.requests.tsv" $((D_KILL + 1000)) 99999999999999)"
    # From the first answer (not the phase start, which includes the load generator's JVM start) to the last.
    awk -v k="$D_KILL" '$3 ~ /^2/ {if ($1 < k) x++; else y++} a == "" || $1 < a {a = $1} $1 > b {b = $1}
      END {printf "- throughput: %.0f req/s before the kill, %.0f req/s after\n", x / ((k - a) / 1000), y / ((b - k) / 1000)}' "$RAW/D.requests.tsv"
    echo "- nginx retries on the other instance (access log lines with two upstreams) after the kill: $(awk -v k="$D_KILL" '$1 * 1000 >= k && /upstream=[^ ]*, /' "$RAW/nginx-access.log" | wc -l)"
  fi
  echo
  echo "Audit chain at the end: $(cat "$RAW/audit-verify.json")"
  echo
  echo "Raw output: $RAW"
} | tee "$RAW/results.md"
