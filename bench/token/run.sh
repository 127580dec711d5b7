#!/usr/bin/env bash
# bench/token: the kube token endpoint (GET /api/v1/kube/token, warm STS cache) against trivial
# endpoints of the same portal, and a warm `latch kube token` against `aws eks get-token` and a
# bare JVM start, in one run.
#
# Starts an embedded PostgreSQL, moto_server and the packaged portal (-Xmx512m); sets up one person
# over HTTP (bootstrap enrolment with the software authenticator, inventory through the admin API,
# group and entitlement through the admin forms, kubeconfig download, device flow with DPoP);
# then runs bench/token/TokenBench.java as a closed-loop load generator (fixed workers, a freshly
# signed DPoP proof on every request, also for the baselines).
#
# Needs: Java 17, moto_server (pip install 'moto[server]'), the AWS CLI, GNU time (/usr/bin/time).
# Usage: bash bench/token/run.sh
#   DURATION=30 (s per measured phase)  WARMUP=10 (s)  CONCURRENCY="8 32"  RUNS=20 (helper runs)
#   LATCH_CLI_JAR=<jar>  the helper to measure (default: the one this build makes); the helper part
#                        is skipped, with a note, when that jar has no `kube token` command.
#   LATCH_CLI_REF=<git ref>  instead, compile the helper from that ref (e.g. cli-kube before it is
#                        merged): its dev/latch/cli sources, javac with the pom's -XDstringConcat=inline.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C
DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-10}"
CONCURRENCY="${CONCURRENCY:-8 32}"
RUNS="${RUNS:-20}"
command -v moto_server >/dev/null || { echo "install moto_server: pip install 'moto[server]'" >&2; exit 1; }
command -v aws >/dev/null || { echo "install the AWS CLI" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "install GNU time (apt-get install time)" >&2; exit 1; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RAW="bench/results/raw/token-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RAW"
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 120); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "no answer from $1" >&2; return 1; }

echo "== building"
./mvnw -q -B package -DskipTests
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="target/test-classes:target/classes:$(cat "$WORK/cp.txt")"
JAR="${LATCH_CLI_JAR:-$(ls target/classes/latch-cli/*.jar 2>/dev/null | head -1)}"
if [ -n "${LATCH_CLI_REF:-}" ]; then
  mkdir -p "$WORK/cli-src" "$WORK/cli-classes"
  git archive "$LATCH_CLI_REF" src/main/java/dev/latch/cli | tar -x -C "$WORK/cli-src"
  javac -encoding UTF-8 -XDstringConcat=inline -d "$WORK/cli-classes" $(find "$WORK/cli-src" -name '*.java')
  JAR="$WORK/latch-cli-$(git rev-parse --short "$LATCH_CLI_REF").jar"
  jar --create --file "$JAR" --main-class dev.latch.cli.Main -C "$WORK/cli-classes" .
fi
HELPER=no
if [ -n "$JAR" ] && unzip -l "$JAR" 2>/dev/null | grep -q 'dev/latch/cli/KubeTokenCommand.class'; then HELPER=yes; fi
# The launcher flags the install script writes (as bench/helper).
JVM_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto"

echo "== starting PostgreSQL and moto_server"
java -cp "$CP" bench/dashboard/StartPostgres.java > "$WORK/pg.out" 2>"$RAW/postgres.log" &
PIDS+=($!)
MOTO_PORT=$(free_port)
moto_server -H 127.0.0.1 -p "$MOTO_PORT" > "$RAW/moto.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do grep -q '^PORT ' "$WORK/pg.out" 2>/dev/null && break; sleep 0.5; done
JDBC=$(head -1 "$WORK/pg.out")
wait_for "http://127.0.0.1:$MOTO_PORT/moto-api/"

echo "== starting the portal"
PORT=$(free_port)
MPORT=$(free_port) # the management interface: health and metrics
PUBLIC="http://localhost:$PORT"
QUARKUS_DATASOURCE_JDBC_URL="$JDBC" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=x \
LATCH_OAUTH_KEY_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64) QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MPORT LATCH_PORTAL_PUBLIC_URL="$PUBLIC" \
LATCH_AWS_ENDPOINT="http://127.0.0.1:$MOTO_PORT" LATCH_AWS_ACCESS_KEY_ID=testing LATCH_AWS_SECRET_ACCESS_KEY=testing \
LATCH_AWS_REGION=eu-west-1 \
  java -Xmx512m -jar target/quarkus-app/quarkus-run.jar > "$RAW/portal.log" 2>&1 &
PORTAL=$!; PIDS+=($PORTAL)
wait_for "http://127.0.0.1:$MPORT/q/health/ready"
BOOTSTRAP=$(grep -o 'http://[^ ]*/enrol/[A-Za-z0-9_-]*' "$RAW/portal.log" | head -1)
[ -n "$BOOTSTRAP" ] || { echo "the portal logged no bootstrap link" >&2; exit 1; }

echo "== setting up one person over HTTP"
HELPER_ARGS=()
if [ "$HELPER" = yes ]; then
  mkdir -p "$WORK/config" && chmod 700 "$WORK/config"
  HELPER_ARGS=("$WORK/config" java $JVM_FLAGS -cp "$JAR" dev.latch.cli.Main)
fi
java -cp "$CP" bench/token/TokenBench.java setup "$PUBLIC" "http://127.0.0.1:$PORT" "$BOOTSTRAP" "$WORK/state.properties" \
  "${HELPER_ARGS[@]}" 2>&1 | tee "$RAW/setup.log"
ISSUANCE=$(sed -n 's/^issuance=//p' "$WORK/state.properties")
IDLE_RSS=$(ps -o rss= -p "$PORTAL" | tr -d ' ')

echo "== load: warm-up ${WARMUP}s, then ${DURATION}s per endpoint at $CONCURRENCY workers"
# Resident memory of the portal every half second while the load runs.
( while kill -0 "$PORTAL" 2>/dev/null; do ps -o rss= -p "$PORTAL" | tr -d ' '; sleep 0.5; done ) > "$RAW/portal-rss-kib.txt" &
SAMPLER=$!; PIDS+=($SAMPLER)
# shellcheck disable=SC2086
java -Xmx256m -cp "$CP" bench/token/TokenBench.java load "$WORK/state.properties" "$RAW/load.tsv" "$WARMUP" "$DURATION" $CONCURRENCY \
  2>&1 | tee "$RAW/load.log"
kill "$SAMPLER" 2>/dev/null || true
sleep 2
AFTER_RSS=$(ps -o rss= -p "$PORTAL" | tr -d ' ')
PEAK_RSS=$(sort -n "$RAW/portal-rss-kib.txt" | tail -1)

if [ "$HELPER" = yes ]; then
  echo "== helper: warm latch kube token, aws eks get-token, bare JVM, $RUNS runs each"
  mkdir -p "$WORK/hello"
  echo 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }' > "$WORK/hello/Hello.java"
  javac -d "$WORK/hello" "$WORK/hello/Hello.java"
  LATCH=(java $JVM_FLAGS -cp "$JAR" dev.latch.cli.Main kube token --portal "$PUBLIC" --issuance "$ISSUANCE")
  # aws only presigns locally; no config files, no instance metadata. A pyenv shim is resolved to
  # the real program so the shim's own start-up is not counted against aws.
  AWS_BIN=$(command -v pyenv >/dev/null && pyenv which aws 2>/dev/null || command -v aws)
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true \
    AWS_CONFIG_FILE="$WORK/none" AWS_SHARED_CREDENTIALS_FILE="$WORK/none"
  export XDG_CONFIG_HOME="$WORK/config"
  # The first call mints a token through the portal and fills the cache; later calls must not.
  "${LATCH[@]}" > "$RAW/helper-first-token.json" 2>>"$RAW/helper-stderr.txt"
  CACHE="$WORK/config/latch/cache/kube-$ISSUANCE.json"
  [ -f "$CACHE" ] || { echo "latch kube token wrote no cache file at $CACHE" >&2; exit 1; }
  CACHE_SUM=$(sha256sum < "$CACHE")
  # One line per run: command, wall microseconds, peak RSS KiB, exit status. Rounds interleave the
  # three commands so that background noise hits them alike; the first 3 rounds are warm-up.
  run_one() {
    local name=$1; shift
    local start=$EPOCHREALTIME status=0
    /usr/bin/time -f %M -o "$WORK/rss" "$@" >/dev/null 2>>"$RAW/helper-stderr.txt" || status=$?
    local end=$EPOCHREALTIME
    echo "$name $(( ${end/./} - ${start/./} )) $(tail -1 "$WORK/rss" | tr -cd '0-9') $status"
  }
  for round in $(seq 1 $((RUNS + 3))); do
    {
      run_one bare-jvm java $JVM_FLAGS -cp "$WORK/hello" Hello
      run_one latch-kube-token "${LATCH[@]}"
      run_one aws-eks-get-token "$AWS_BIN" eks get-token --cluster-name bench-apps --region eu-west-1
    } | { if [ "$round" -gt 3 ]; then cat; else cat > /dev/null; fi; }
  done > "$RAW/helper-runs.txt"
  [ "$(sha256sum < "$CACHE")" = "$CACHE_SUM" ] && CACHE_NOTE="the cache file was unchanged by the measured runs (all warm)" \
    || CACHE_NOTE="WARNING: the cache file changed during the runs (some runs fetched from the portal)"
fi

# ---- summary
ms() { awk '{printf "%.1f", $1 / 1000}'; }
stat_of() { # command, field (2 = µs, 3 = KiB), percentile (50, 90, 100)
  awk -v c="$1" '$1 == c {print $'"$2"'}' "$RAW/helper-runs.txt" | sort -n |
    awk -v p="$3" '{v[NR] = $1} END {i = int((p / 100) * NR + 0.999999); if (i < 1) i = 1; print v[i]}'
}
{
  echo "## bench/token ($(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $(nproc) cores, $(java -version 2>&1 | head -1))"
  echo
  echo "Closed loop, fixed workers, each request with a freshly signed ES256 DPoP proof (signing counts in throughput,"
  echo "not in latency). ${DURATION} s per row after ${WARMUP} s warm-up; load generator on the same machine."
  echo "Load average (1/5/15 min) before the run: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| endpoint | workers | req/s | p50 ms | p90 ms | p99 ms | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  tail -n +2 "$RAW/load.tsv" | awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s%s |\n", $1, $2, $6, $7, $8, $9, $5, ($11 == "" ? "" : " (" $11 ")")}'
  echo
  for c in $CONCURRENCY; do
    awk -F'\t' -v c="$c" '$2 == c && $1 ~ /^kube token/ {t = $6} $2 == c && $1 ~ /^GET \/api\/v1\/me/ {m = $6}
      END {r = 100 * t / m; printf "- %s workers: token endpoint at %.0f%% of GET /api/v1/me (target >= 50%%: %s)\n", c, r, (r >= 50 ? "met" : "missed")}' "$RAW/load.tsv"
  done
  echo "- portal resident memory: $((IDLE_RSS / 1024)) MiB after set-up, peak $((PEAK_RSS / 1024)) MiB during the load,"\
       "$((AFTER_RSS / 1024)) MiB after (target < 512 MiB: $([ "$PEAK_RSS" -lt 524288 ] && echo met || echo missed))"
  echo
  if [ "$HELPER" = yes ]; then
    echo "Helper, $RUNS runs each (wall time of the process incl. /usr/bin/time; peak RSS from /usr/bin/time -f %M):"
    echo
    echo "| command | median ms | p90 ms | peak RSS MiB | failures |"
    echo "|---|---:|---:|---:|---:|"
    for c in bare-jvm latch-kube-token aws-eks-get-token; do
      fails=$(awk -v c="$c" '$1 == c && $4 != 0' "$RAW/helper-runs.txt" | wc -l)
      echo "| $c | $(stat_of $c 2 50 | ms) | $(stat_of $c 2 90 | ms) | $(( $(stat_of $c 3 100) / 1024 )) | $fails |"
    done
    echo
    BARE=$(stat_of bare-jvm 2 50); WARM=$(stat_of latch-kube-token 2 50); WRSS=$(stat_of latch-kube-token 3 100)
    awk -v w="$WARM" -v b="$BARE" 'BEGIN {printf "- warm latch kube token: %.2fx the bare JVM median (target <= 2x: %s)\n", w / b, (w <= 2 * b ? "met" : "missed")}'
    echo "- its peak RSS: $((WRSS / 1024)) MiB (target < 64 MiB: $([ "$WRSS" -lt 65536 ] && echo met || echo missed)); $CACHE_NOTE"
    echo "- helper jar: $(basename "$JAR")${LATCH_CLI_REF:+ (compiled from $LATCH_CLI_REF)}; aws: $("$AWS_BIN" --version 2>&1)"
  else
    echo "Helper part skipped: $JAR has no \`latch kube token\` (set LATCH_CLI_JAR to a helper jar that has it)."
  fi
  echo
  echo "Raw output: $RAW"
} | tee "$RAW/results.md"
