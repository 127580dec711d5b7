#!/usr/bin/env bash
# The test suite under load: `./mvnw verify` three times in a row on a clean clone of HEAD while a
# second clean clone runs `./mvnw verify` in a loop beside it, as a busy laptop or CI machine would.
# Prints each measured run's exit code and wall time and the ten slowest test classes of each run.
#
#   bash bench/test-suite/run.sh            # RUNS=3 by default
#
# Needs: root (each clone runs in its own network namespace via `unshare -n`, because the tests
# listen on the fixed port 8081), a warm ~/.m2 (run `./mvnw verify` once: the namespaces have no
# network, so Maven runs offline), and what `./mvnw verify` needs (README).
set -uo pipefail
cd "$(dirname "$0")/../.."

runs=${RUNS:-3}
work=$(mktemp -d /tmp/latch-suite.XXXXXX)
raw="bench/results/raw/test-suite-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$raw"
git clone -q . "$work/measured"
git clone -q . "$work/load"
echo "commit $(git rev-parse --short HEAD); logs in $raw"

in_namespace() { # dir, command...
  unshare -n bash -c 'ip link set lo up && cd "$0" && exec "$@"' "$@"
}

slowest() { # dir: the ten slowest test classes from the Surefire and Failsafe reports
  python3 - "$1" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
rows = []
for f in glob.glob(sys.argv[1] + "/target/*-reports/TEST-*.xml"):
    s = ET.parse(f).getroot()
    rows.append((float(s.get("time", 0)), s.get("name"), s.get("tests")))
for t, name, n in sorted(rows, reverse=True)[:10]:
    print(f"    {t:7.1f} s  {name} ({n} tests)")
PY
}

# the load: clean verifies back to back until the measured runs are done
setsid bash -c '
  i=0
  while [ ! -e "$0/stop" ]; do
    i=$((i+1)); git -C "$0/load" clean -fdxq
    unshare -n bash -c "ip link set lo up && cd \"$0/load\" && ./mvnw -o -B -ntp verify" > "$0/load-$i.log" 2>&1
    echo "load run $i: exit $?" >> "$0/load-summary"
  done' "$work" &
load=$!

status=0
for i in $(seq 1 "$runs"); do
  git -C "$work/measured" clean -fdxq
  start=$(date +%s)
  in_namespace "$work/measured" ./mvnw -o -B -ntp verify > "$raw/run-$i.log" 2>&1
  rc=$?
  end=$(date +%s)
  [ "$rc" -eq 0 ] || status=1
  echo "run $i: exit $rc, wall $((end - start)) s, $(grep -E '^\[(INFO|ERROR|WARNING)\] Tests run:' "$raw/run-$i.log" | grep -v ' in ' | tr '\n' ';')"
  slowest "$work/measured"
done

touch "$work/stop"
kill -- -"$load" 2>/dev/null
wait "$load" 2>/dev/null
echo "load beside it: $(tr '\n' ' ' < "$work/load-summary" 2>/dev/null)(the last one was stopped when the measured runs ended)"
cp "$work"/load-*.log "$raw/" 2>/dev/null
rm -rf "$work"
exit "$status"
