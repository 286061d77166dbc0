#!/usr/bin/env bash
# Wall time of `runbook test tests-fixtures/sandboxes`: every flagship scenario, in parallel up to
# the processors, as CI and an author run them. Target: 60 s on a 2-core machine.
#
#   bench/runbook-test.sh [ROUNDS] [PATH...]
#
# Each round is one whole `runbook test` (default 1 round; the best and the median are printed).
# Also prints each scenario's own time from the last round, slowest first, and the CPU time the
# round took, so that a miss can be told apart: waiting (simulated operators, polls) or work.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rounds="${1:-1}"
shift || true
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=("$root/tests-fixtures/sandboxes")
out="$root/bench/out"
mkdir -p "$out"

# Build the CLI and its sandbox class cache (trained on the first sandbox command) untimed.
"$runbook" sandbox --help > /dev/null
ensure_built

echo "cpus: $(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)  java: $(sed -n 2p "$root/target/.java" 2>/dev/null || echo '?')"
walls="$(mktemp)"; cpus="$(mktemp)"
trap 'rm -f "$walls" "$cpus"' EXIT
for r in $(seq "$rounds"); do
  log="$out/runbook-test-round-$r.txt"
  t0=$(now_ms)
  status=0
  /usr/bin/time -f '%U %S' -o "$out/runbook-test-cpu.txt" "$runbook" test "${paths[@]}" > "$log" 2>&1 || status=$?
  t1=$(now_ms)
  echo $(( t1 - t0 )) >> "$walls"
  awk '{printf "%d\n", ($1 + $2) * 1000}' "$out/runbook-test-cpu.txt" >> "$cpus"
  echo "round $r: $(( t1 - t0 )) ms wall, $(tail -1 "$cpus") ms CPU, $(tail -1 "$log")"
  if [ "$status" -ne 0 ]; then
    echo "bench: runbook test failed (exit $status); see $log" >&2
    grep -E '^(FAIL|    )' "$log" | head -20 >&2
    exit 1
  fi
done
echo
echo "scenarios of the last round, slowest first:"
grep -E '^(PASS|FAIL) ' "$log" | awk '{print $NF, $2}' | sort -rn | sed 's/^/  /'
echo
best=$(sort -n "$walls" | head -1)
med=$(median "$walls")
echo "runbook test wall time: best $best ms, median $med ms over $rounds round(s) (target <= 60000 ms): $(verdict "$best" 60000)"
