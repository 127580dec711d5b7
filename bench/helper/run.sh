#!/usr/bin/env bash
# bench/helper: start-up time of the latch helper beside a bare JVM "Hello", in one run.
#   latch version   - prints its version (no files read)
#   latch status    - reads and checks the local session file (no network)
#   java Hello      - the floor for any Java command-line tool on this machine
# Needs: a built helper (./mvnw -q process-classes), hyperfine, openssl. Prints a table for
# bench/README.md. Usage: bash bench/helper/run.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-30}"
JAR=$(ls target/classes/latch-cli/*.jar 2>/dev/null | head -1)
[ -n "$JAR" ] || { echo "build the helper first: ./mvnw -q process-classes" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "install hyperfine (apt-get install hyperfine)" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# A bare Hello, compiled here, for the floor.
mkdir -p "$WORK/hello"
cat > "$WORK/hello/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
javac -d "$WORK/hello" "$WORK/hello/Hello.java"

# A realistic signed-in state for `latch status`: a real P-256 DPoP key pair, tokens, expiries.
CONFIG="$WORK/config/latch"
mkdir -p "$CONFIG" && chmod 700 "$WORK/config" "$CONFIG"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/key.pem" 2>/dev/null
PRIV=$(sed '/-----/d' "$WORK/key.pem" | tr -d '\n')
PUB=$(openssl pkey -in "$WORK/key.pem" -pubout 2>/dev/null | sed '/-----/d' | tr -d '\n')
NOW=$(date -u +%s)
{
  echo "portal=https\://latch.example.com"
  echo "username=alice"
  echo "access_token=eyJhbGciOiJFUzI1NiJ9.e30.sig"
  echo "access_expires_at=$((NOW + 600))"
  echo "refresh_token=benchmark-refresh-token"
  echo "session_ends_at=$((NOW + 43200))"
  echo "dpop_private_key=$PRIV"
  echo "dpop_public_key=$PUB"
} > "$CONFIG/session-latch.example.com.properties"
echo "portal=https\://latch.example.com" > "$CONFIG/config"
chmod 600 "$CONFIG"/*

# The launcher flags the install script writes.
LATCH="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -cp $JAR dev.latch.cli.Main"
export XDG_CONFIG_HOME="$WORK/config"
$LATCH status >/dev/null || { echo "latch status failed on the benchmark state" >&2; exit 1; }

hyperfine --warmup 3 --runs "$RUNS" --export-markdown "$WORK/table.md" \
  --command-name "java Hello (bare JVM)" "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -cp $WORK/hello Hello" \
  --command-name "latch version" "$LATCH version" \
  --command-name "latch status" "$LATCH status"

RSS=$( { /usr/bin/time -f "%M" $LATCH status >/dev/null; } 2>&1 | tail -1 )
{
  echo "## bench/helper ($(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1))"
  echo
  cat "$WORK/table.md"
  echo
  echo "Peak resident memory of \`latch status\`: ${RSS} KiB."
} | tee "$WORK/results.md"
